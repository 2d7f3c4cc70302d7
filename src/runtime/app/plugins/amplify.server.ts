import { useAmplifyUser } from '../composables/useAmplifyUser'
import { useAmplifyAuthKnown } from '../utils/auth-state'
import { defineNuxtPlugin, useRequestEvent } from '#imports'

/** Reads the session once per request, before route middleware runs, so pages and middleware agree. */
export default defineNuxtPlugin({
  name: 'amplify:session',
  enforce: 'pre',
  async setup(nuxtApp) {
    const event = useRequestEvent()
    const context = event?.context.amplify
    if (!context) return
    // A page rendered once for many visitors carries nobody's session: prerendered at build time, or rendered for a
    // route rule's cache (Nitro gives that render the context of the request that missed the cache, cookies and all).
    // The state stays unknown and is settled in the browser.
    if (nuxtApp.payload.prerenderedAt || (event.context as { cache?: unknown }).cache) return
    const user = await context.user().catch((error) => {
      console.warn(`[nuxt-amplify-ssr] Rendering signed out: ${error?.message ?? error}`)
      return undefined
    })
    useAmplifyUser().value = user ?? null
    if (user !== undefined) useAmplifyAuthKnown().value = true
  },
})
