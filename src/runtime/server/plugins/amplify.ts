import { defineNitroPlugin } from 'nitropack/runtime'
import { createAmplifyRequestContext } from '../lib/amplify/request-context'
import { useAmplifyServerSettings } from '../lib/amplify/server-settings'
import { keepOneCookiePerName } from '../lib/http/one-cookie-per-name'

export default defineNitroPlugin((nitroApp) => {
  try {
    useAmplifyServerSettings()
  }
  catch (error) {
    // Say it at start, not at the first sign-in; requests that need Amplify then answer 500 with the same message.
    console.error(`[nuxt-amplify-ssr] ${(error as Error).message}`)
  }
  // Made here rather than by the server utils, so that the Vue app's SSR shares the same context (and caches).
  nitroApp.hooks.hook('request', (event) => {
    // First of all: the settings keep the environment of the first request (Workers has none before).
    useAmplifyServerSettings(event)
    event.context.amplify = createAmplifyRequestContext(event)
    keepOneCookiePerName(event)
  })
})
