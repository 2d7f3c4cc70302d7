// The JavaScript a browser downloads for one way to use Amplify, from production builds of bench/client: the app
// with no Amplify, with the module, with the Amplify Nuxt guide's client plugin (the same categories and calls), and
// with that plugin offering every API `useAmplify()` offers. What a way adds is its build's gzip total (every chunk)
// minus the no-Amplify build's. `--json` is what `npm run bench` reads.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = fileURLToPath(new URL('..', import.meta.url))
const appDir = join(root, 'bench/client')
const variants = ['none', 'module', 'guide', 'guide-same']

function gzipKb(variant) {
  const build = spawnSync('npx', ['nuxi', 'build', appDir], { cwd: root, env: { ...process.env, BENCH_CLIENT: variant }, stdio: ['ignore', 'ignore', 'inherit'] })
  if (build.status !== 0) throw new Error(`the ${variant} client build failed`)
  const dir = join(root, 'bench/.work', `client-${variant}`, '.output/public/_nuxt')
  const files = readdirSync(dir).filter(name => name.endsWith('.js'))
  return files.reduce((sum, name) => sum + gzipSync(readFileSync(join(dir, name)), { level: 9 }).length, 0) / 1024
}

const sizes = Object.fromEntries(variants.map(variant => [variant, gzipKb(variant)]))
const added = { module: sizes.module - sizes.none, guide: sizes.guide - sizes.none, guideSame: sizes['guide-same'] - sizes.none }
const table = `| build of bench/client | JS, gzip (KB) | added to the app (KB) |
| --- | --- | --- |
| no Amplify | ${sizes.none.toFixed(1)} | |
| the module (\`useAmplify()\`: Auth, GraphQL, Storage) | ${sizes.module.toFixed(1)} | ${added.module.toFixed(1)} |
| the guide's client plugin (\`$Amplify\`: Auth, GraphQL, Storage), the same calls | ${sizes.guide.toFixed(1)} | ${added.guide.toFixed(1)} |
| the guide's plugin offering all that \`useAmplify()\` offers (+ confirmSignIn, REST, 6 more Storage APIs) | ${sizes['guide-same'].toFixed(1)} | ${added.guideSame.toFixed(1)} |`
console.log(process.argv.includes('--json') ? JSON.stringify({ ...added, table }) : table)
