// What `npm run dev` and `npm run bench` need before Nuxt transforms the module's sources on a fresh clone.
// The playground and the bench app load the module from src/, so Vite compiles src/runtime/**/*.ts itself and
// reads the nearest tsconfig.json: the repository's own, which extends the generated `.nuxt/tsconfig.json`.
// Until `nuxt-module-build prepare` has written that file, every page answers 500 ("Tsconfig not found").
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Generates the module's `.nuxt/` (types and the tsconfig that tsconfig.json extends) when it is missing. */
export function prepareModuleTypes() {
  if (existsSync(`${root}.nuxt/tsconfig.json`)) return
  console.log('  Preparing the module\'s types (.nuxt/tsconfig.json, first run only): nuxt-module-build prepare')
  // Its output is kept back unless it fails: at the repository's root it warns that there is no amplify_outputs.json,
  // which is true there and would only confuse.
  const result = spawnSync(`${root}node_modules/.bin/nuxt-module-build`, ['prepare'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0 || !existsSync(`${root}.nuxt/tsconfig.json`)) {
    console.error(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}\n  nuxt-module-build prepare failed.`)
    process.exit(1)
  }
}
