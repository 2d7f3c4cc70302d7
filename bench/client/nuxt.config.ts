import { fileURLToPath } from 'node:url'

// The browser JavaScript of one way to use Amplify, built alone (bench/client-bundle.mjs): BENCH_CLIENT=none (no
// Amplify at all), module (this module), guide (the Amplify Nuxt guide's hand-written client plugin; its component
// makes the same calls as the module's) or guide-same (that plugin offering all the APIs `useAmplify()` offers).
const variant = process.env.BENCH_CLIENT ?? 'none'
const component = { 'none': 'NoAmplify', 'module': 'ModuleApis', 'guide': 'GuideApis', 'guide-same': 'GuideApis' }[variant]
const plugin = { 'guide': '~/guide/amplify-apis.client.ts', 'guide-same': '~/guide/amplify-apis-same.client.ts' }[variant]
const work = `../.work/client-${variant}`
// The other variants' files are not part of this app: out of Nuxt's view, so that the module's source scan
// (amplify.clientApis) sees the app it builds, not the guide plugin's calls.
const otherFiles = variant === 'module' ? ['guide/**', 'variants/GuideApis.vue'] : []

export default defineNuxtConfig({
  modules: variant === 'module' ? ['../../src/module'] : [],
  plugins: plugin ? [plugin] : [],
  buildDir: `${work}/.nuxt`,
  alias: { '#bench-variant': fileURLToPath(new URL(`./variants/${component}.vue`, import.meta.url)) },
  ignore: otherFiles,
  // BENCH_SOURCEMAP=1: maps beside the chunks (not counted) to see which modules each chunk holds.
  sourcemap: { client: process.env.BENCH_SOURCEMAP ? 'hidden' : false },
  compatibilityDate: '2025-07-15',
  nitro: { output: { dir: `${work}/.output` } },
})
