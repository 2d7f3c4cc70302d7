// @ts-check
import { createConfigForNuxt } from '@nuxt/eslint-config/flat'

export default createConfigForNuxt({
  features: { tooling: true, stylistic: true },
  dirs: { src: ['./playground', './test/fixtures/basic', './test/fixtures/apis'] },
}).append({
  ignores: ['dist', 'node_modules', '**/.nuxt', '**/.output', '**/.cognito', '**/.data'],
})
