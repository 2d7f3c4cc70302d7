import { describe, expect, it } from 'vitest'
import { serverAuthRuntimeConfig, sessionStoreMode } from '../../../src/server-auth'

describe('serverAuth options', () => {
  it('is off by default and normalizes paths', () => {
    expect(serverAuthRuntimeConfig()).toMatchObject({ enabled: false, basePath: '/api/auth' })
    expect(serverAuthRuntimeConfig({ enabled: true, basePath: '/auth/', hostedUI: { scopes: ['openid', 'email'], logoutUrl: false } }))
      .toEqual({ enabled: true, basePath: '/auth', redirectSignIn: '', redirectSignOut: '', hostedUI: { domain: '', scopes: 'openid email', logoutUrl: false } })
  })

  it('refuses paths that are not site paths', () => {
    expect(() => serverAuthRuntimeConfig({ basePath: 'api/auth' })).toThrow(/basePath/)
    expect(() => serverAuthRuntimeConfig({ redirectSignOut: '//evil.example' })).toThrow(/redirectSignOut/)
  })

  it('keeps sessions in cookies unless told to use the store, which needs server sign-in', () => {
    expect(sessionStoreMode()).toBe('cookies')
    expect(sessionStoreMode({ enabled: true, store: 'storage' })).toBe('storage')
    expect(() => sessionStoreMode({ store: 'storage' })).toThrow(/needs amplify.serverAuth.enabled/)
    expect(() => sessionStoreMode({ enabled: true, store: 'redis' as 'storage' })).toThrow(/'cookies' or 'storage', got "redis"/)
  })
})
