import { defineNitroPlugin } from 'nitropack/runtime'
import { useAmplifySessionReader } from '../lib/authorization/session-reader'

// On every request's context, so that the Vue app's SSR (a bundle of its own) reads the same session, hook and all.
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    useAmplifySessionReader(event)
  })
})
