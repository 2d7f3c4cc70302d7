// `AMPLIFY_SERVER_AUTH=1 npm run dev`: sign in on the server, tokens in HttpOnly cookies, plus the emulator's Hosted UI.
const serverAuth = !!process.env.AMPLIFY_SERVER_AUTH && process.env.AMPLIFY_SERVER_AUTH !== '0'

export default defineNuxtConfig({
  modules: ['../src/module'],
  devtools: { enabled: true },
  compatibilityDate: '2025-07-15',
  amplify: {
    // Written by `npm run dev` for the local Cognito emulator; use your own amplify_outputs.json for AWS.
    config: './amplify_outputs.json',
    serverAuth: { enabled: serverAuth },
  },
})
