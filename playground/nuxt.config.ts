import { existsSync, readFileSync } from 'node:fs'
import { parseAmplifyConfig } from 'aws-amplify/utils'

// Written by `npm run dev` for the local backend; use your own amplify_outputs.json for AWS. Gen2 REST APIs live in
// `custom.API`, which Amplify documents merging into the parsed config.
const file = new URL('./amplify_outputs.json', import.meta.url)
const outputs = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
const config = outputs && parseAmplifyConfig(outputs)

// `AMPLIFY_SERVER_AUTH=1 npm run dev`: sign in on the server, tokens in HttpOnly cookies, plus the emulator's Hosted UI.
const serverAuth = !!process.env.AMPLIFY_SERVER_AUTH && process.env.AMPLIFY_SERVER_AUTH !== '0'

export default defineNuxtConfig({
  modules: ['../src/module'],
  devtools: { enabled: true },
  runtimeConfig: {
    // Set by `npm run dev`: where the browser's S3 requests go offline (plugins/local-s3.client.ts).
    public: { localS3Endpoint: '' },
  },
  // One entry protects the admin pages and their API for the `admin` Cognito group.
  routeRules: {
    '/admin/**': { amplifyAuth: { groups: ['admin'] } },
    '/api/admin/**': { amplifyAuth: { groups: ['admin'] } },
  },
  compatibilityDate: '2025-07-15',
  // Pre-bundled at start: found on the first visit of /authenticator instead, Vite would reload the page.
  vite: { optimizeDeps: { include: ['@aws-amplify/ui-vue'] } },
  amplify: {
    config: config ? { ...config, API: { ...config.API, REST: outputs.custom?.API } } : './amplify_outputs.json',
    serverAuth: { enabled: serverAuth },
  },
})
