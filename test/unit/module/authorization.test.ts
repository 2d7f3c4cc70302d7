import { describe, expect, it } from 'vitest'
import { appServerRoutes, collectAmplifyRouteRules } from '../../../src/authorization'

describe('collectAmplifyRouteRules', () => {
  it('keeps the amplifyAuth values by pattern', () => {
    expect(collectAmplifyRouteRules({
      '/admin/**': { amplifyAuth: { groups: ['admin'] } },
      '/login': { amplifyAuth: 'guest' },
      '/static': { prerender: true },
      '/open': { headers: { 'x-a': 'b' } },
    })).toEqual({ '/admin/**': { groups: ['admin'] }, '/login': 'guest' })
  })

  it('refuses values that are not rules', () => {
    expect(() => collectAmplifyRouteRules({ '/a': { amplifyAuth: 'yes' as never } })).toThrow(/must be true, false, 'guest'/)
    expect(() => collectAmplifyRouteRules({ '/a': { amplifyAuth: { groups: 'admin' } as never } })).toThrow(/groups: string\[\]/)
  })

  it('refuses a protected path that a cached rule covers, and says why', () => {
    expect(() => collectAmplifyRouteRules({ '/admin/**': { amplifyAuth: true, swr: 60 } })).toThrow(/rendered once for every visitor/)
    expect(() => collectAmplifyRouteRules({ '/admin/**': { amplifyAuth: true }, '/**': { cache: { maxAge: 60 } } })).toThrow(/'\/\*\*'\] caches it \(cache\)/)
    expect(() => collectAmplifyRouteRules({ '/admin/**': { amplifyAuth: true }, '/admin/report': { prerender: true } })).toThrow(/prerender/)
    // Not overlapping, or not cached, or not protected: fine.
    expect(() => collectAmplifyRouteRules({
      '/admin/**': { amplifyAuth: true },
      '/blog/**': { swr: 60 },
      '/docs/**': { prerender: false },
      '/public/**': { amplifyAuth: false, prerender: true },
    })).not.toThrow()
  })
})

describe('appServerRoutes', () => {
  it('lists the app\'s server routes, not Nuxt\'s renderer nor the module\'s own routes', () => {
    const nitro = {
      scannedHandlers: [
        { route: '/api/admin/stats', handler: '/app/server/api/admin/stats.get.ts', method: 'get' },
        { route: '', handler: '/app/server/middleware/log.ts', middleware: true },
      ],
      options: {
        handlers: [
          { route: '/api/auth/sign-in', handler: '/mod/runtime/server/routes/auth/sign-in.post', method: 'post' },
          { route: '/_amplify/devtools', handler: '/mod/runtime/devtools/page' },
          { route: '/**', handler: '/nm/@nuxt/nitro-server/dist/runtime/handlers/renderer', lazy: true },
          { route: '/__nuxt_error', handler: '/nm/@nuxt/nitro-server/dist/runtime/handlers/renderer', lazy: true },
          { route: '/api/users/:id', handler: '/app/server/api/users/[id].ts' },
        ],
      },
    }
    expect(appServerRoutes(nitro as never, '/mod/runtime')).toEqual(['/api/admin/stats', '/api/users/:id'])
  })
})
