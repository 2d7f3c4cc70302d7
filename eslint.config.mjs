// @ts-check
import { createConfigForNuxt } from '@nuxt/eslint-config/flat'

export default createConfigForNuxt({
  features: { tooling: true, stylistic: true },
  dirs: { src: ['./playground', './test/fixtures/*', './bench/app', './bench/client', './test/compat/nuxt3', './test/compat/nuxt4/app'] },
}).append({
  ignores: ['dist', 'node_modules', '**/.nuxt', '**/.output', '**/.cognito', '**/.data'],
})
