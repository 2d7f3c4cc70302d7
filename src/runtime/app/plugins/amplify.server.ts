import { useAmplifyUser } from '../composables/useAmplifyUser'
import { defineNuxtPlugin, useRequestEvent } from '#imports'

/** Reads the session once per request, before route middleware runs, so pages and middleware agree. */
export default defineNuxtPlugin({
  name: 'amplify:session',
  enforce: 'pre',
  async setup() {
    const context = useRequestEvent()?.context.amplify
    if (!context) return
    useAmplifyUser().value = await context.user().catch((error) => {
      console.warn(`[nuxt-amplify-ssr] Rendering signed out: ${error?.message ?? error}`)
      return null
    })
  },
})
