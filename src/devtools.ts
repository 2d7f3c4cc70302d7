import { addServerHandler } from '@nuxt/kit'
import type { Nuxt } from '@nuxt/schema'

/** Nuxt turns DevTools on in development unless `devtools: false` or `devtools: { enabled: false }`. */
export function devtoolsEnabled(devtools: unknown): boolean {
  return typeof devtools === 'boolean' ? devtools : (devtools as { enabled?: boolean } | undefined)?.enabled !== false
}

/**
 * Dev only: an "Amplify" DevTools tab, an iframe on the app's origin showing the request's session (decoded claims,
 * expiry, cookie sizes, config). Nothing of it reaches a production build. The hook is what `addCustomTab` of
 * `@nuxt/devtools-kit` registers, without the dependency.
 */
export function addDevtoolsTab(baseURL: string, resolve: (path: string) => string, nuxt: Nuxt) {
  const route = `${baseURL.replace(/\/+$/, '')}/_amplify/devtools`
  addServerHandler({ route: '/_amplify/devtools', handler: resolve('./runtime/devtools/page') })
  addServerHandler({ route: '/_amplify/devtools.json', handler: resolve('./runtime/devtools/data') })
  addServerHandler({ route: '/_amplify/devtools-icon.svg', handler: resolve('./runtime/devtools/icon') })
  nuxt.hook('devtools:customTabs', (tabs) => {
    tabs.push({
      name: 'amplify',
      title: 'Amplify session',
      icon: `${route}-icon.svg`,
      category: 'app',
      view: { type: 'iframe', src: route },
    })
  })
}
