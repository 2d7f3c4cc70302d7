export default defineNuxtConfig({
  modules: ['../src/module'],
  devtools: { enabled: true },
  compatibilityDate: '2025-07-15',
  amplify: {
    // Written by `npm run dev` for the local Cognito emulator; use your own amplify_outputs.json for AWS.
    config: './amplify_outputs.json',
  },
})
