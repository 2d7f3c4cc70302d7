// `node compat-vercel-edge.mjs <app dir> <port> [script run first]`: serves Nitro's `vercel-edge` output in Vercel's Edge Runtime emulator
// (npm's `edge-runtime`, from the app's node_modules), on 127.0.0.1. The function is one ES module; the emulator runs
// scripts, so it is bundled to one script first, its `node:` imports kept as calls to a loader that offers only what
// Vercel's edge functions offer (node:buffer, events, async_hooks, assert, util) and fails on any other.
import { builtinModules, createRequire } from 'node:module'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, port, before] = process.argv.slice(2)
const appRequire = createRequire(join(dir, 'package.json'))
const { EdgeRuntime, runServer } = appRequire('edge-runtime')
const esbuild = appRequire('esbuild')

const VERCEL_EDGE_NODE_MODULES = ['buffer', 'events', 'async_hooks', 'assert', 'util']

const { outputFiles: [script] } = await esbuild.build({
  entryPoints: [join(dir, '.vercel', 'output', 'functions', '__fallback.func', 'index.mjs')],
  bundle: true,
  write: false,
  format: 'iife',
  globalName: '__vercelEdgeFunction',
  platform: 'neutral',
  external: builtinModules.flatMap(name => [name, `node:${name}`]),
  logLevel: 'silent',
})

const require = createRequire(import.meta.url)
const runtime = new EdgeRuntime({
  // The platform's environment, as Vercel gives it to edge functions.
  extend: (context) => {
    context.process = { env: { ...process.env } }
    context.require = (name) => {
      const bare = name.replace(/^node:/, '')
      if (!VERCEL_EDGE_NODE_MODULES.includes(bare)) {
        throw new Error(`The edge function imports ${name}, which Vercel's Edge Runtime does not have`)
      }
      return require(`node:${bare}`)
    }
    return context
  },
  initialCode: `${before ? readFileSync(before, 'utf8') : ''}
${script.text}
addEventListener('fetch', (event) => event.respondWith(__vercelEdgeFunction.default(event.request, event)))`,
})
await runServer({ runtime, port: Number(port), host: '127.0.0.1' })
