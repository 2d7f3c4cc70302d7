export default defineNuxtConfig({
  // nuxt-auth-utils is peer I (bench/app/server/api/peers/): its session is fetched in the browser only, so that it
  // adds nothing to the SSR pages of the module's own figures.
  modules: ['../../src/module', 'nuxt-auth-utils'],
  compatibilityDate: '2025-07-15',
  amplify: {},
  auth: { loadStrategy: 'client-only' },
})
