// The Nuxt 4 consumer app (copied first) with this folder on top, built with an edge preset (NITRO_PRESET, set by
// scripts/compat.mjs): the same pages and routes, plus server sign-in and REST calls, which the edge checks use.
import { readFileSync } from 'node:fs'
import { parseAmplifyConfig } from 'aws-amplify/utils'

// REST APIs come from `custom.API` in Gen2 outputs, merged into the parsed config as Amplify documents.
const outputs = JSON.parse(readFileSync(new URL('./amplify_outputs.json', import.meta.url), 'utf8'))
const config = parseAmplifyConfig(outputs)

export default defineNuxtConfig({
  modules: ['nuxt-amplify-ssr'],
  routeRules: {
    '/admin/**': { amplifyAuth: { groups: ['admin'] } },
    '/api/admin/**': { amplifyAuth: { groups: ['admin'] } },
  },
  compatibilityDate: '2025-07-15',
  amplify: {
    config: { ...config, API: { ...config.API, REST: outputs.custom.API } },
    serverAuth: { enabled: true },
  },
})
