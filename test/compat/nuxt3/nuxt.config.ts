// A consumer app as a user writes it: the module by its package name, installed from the packed tarball.
export default defineNuxtConfig({
  modules: ['nuxt-amplify-ssr'],
  routeRules: {
    '/admin/**': { amplifyAuth: { groups: ['admin'] } },
    '/api/admin/**': { amplifyAuth: { groups: ['admin'] } },
  },
  compatibilityDate: '2025-07-15',
  amplify: { config: './amplify_outputs.json' },
})
