import { isError } from 'h3'
import { useAmplifyUser } from '../composables/useAmplifyUser'
import { useAmplifySessionDetails } from '../composables/useAmplifySession'
import { useAmplifyAuthKnown } from '../utils/auth-state'
import { defineNuxtPlugin, useRequestEvent } from '#imports'

/** Reads the session once per request, before route middleware runs, so pages and middleware agree. */
export default defineNuxtPlugin({
  name: 'amplify:session',
  enforce: 'pre',
  async setup(nuxtApp) {
    const event = useRequestEvent()
    const readSession = event?.context.amplifySession
    if (!readSession) return
    // A page rendered once for many visitors carries nobody's session: prerendered at build time, or rendered for a
    // route rule's cache (Nitro gives that render the context of the request that missed the cache, cookies and all).
    // The state stays unknown and is settled in the browser.
    if (nuxtApp.payload.prerenderedAt || (event.context as { cache?: unknown }).cache) return
    const session = readSession.now() ?? await readSession.get().catch((error) => {
      // An `amplify:session` hook's veto: this app does not take the session, the page renders signed out.
      if (isError(error) && (error.statusCode === 401 || error.statusCode === 403)) return null
      console.warn(`[nuxt-amplify-ssr] Rendering signed out: ${error?.message ?? error}`)
      return undefined
    })
    useAmplifyUser().value = session?.user ?? null
    if (session) {
      const { user: _user, ...details } = session
      useAmplifySessionDetails().value = details
    }
    if (session !== undefined) useAmplifyAuthKnown().value = true
  },
})
