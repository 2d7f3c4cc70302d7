// The runtimes of the edge cells of `npm run test:compat`: each serves a consumer app's build for one Nitro preset on
// a loopback port, from the runtime's own npm package installed in the app (test/compat/edge/package.json), so that
// nothing of Node is there unless the runtime itself offers it.
import { spawn } from 'node:child_process'
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * JavaScript that sends the runtime's S3 requests to the local S3 (test/backends/s3.mjs), as s3-route.mjs does in
 * Node: Amplify signs for the real bucket host, the bytes go to `endpoint`, the signed host in `x-amz-original-host`.
 * Without `endpoint`, nothing is routed (and Amplify Storage calls AWS).
 */
function s3Route(endpoint) {
  if (!endpoint) return ''
  return `const platformFetch = globalThis.fetch
globalThis.fetch = (input, init) => {
  const request = new Request(input, init)
  const url = new URL(request.url)
  if (!/^([a-z0-9][a-z0-9.-]*\\.)?s3[.-]([a-z0-9-]+\\.)?amazonaws\\.com$/.test(url.hostname)) return platformFetch(request)
  const headers = new Headers(request.headers)
  headers.set('x-amz-original-host', url.host)
  return platformFetch(new Request(${JSON.stringify(endpoint)} + url.pathname + url.search, { method: request.method, headers, body: request.body, duplex: 'half' }))
}
`
}

/** Every file below `dir`, relative to it, source maps left out. */
function filesBelow(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile() && !entry.name.endsWith('.map'))
    .map(entry => relative(dir, join(entry.parentPath, entry.name)))
}

/**
 * workerd's configuration for Nitro's `cloudflare-module` output: the worker's modules, `ASSETS` from the public
 * folder, the environment as text bindings (as `wrangler` passes `vars`) and an outbound network that may reach
 * loopback, where the emulators are. No `nodejs_compat` flag: Node's modules do not exist there.
 */
function workerdConfig({ dir, port, env, s3 }) {
  const server = join(dir, '.output', 'server')
  // The main module (listed first): the S3 route, then the app's own entry.
  writeFileSync(join(dir, 'workerd-main.mjs'), `${s3Route(s3)}export { default } from './index.mjs'\n`)
  const modules = ['(name = "workerd-main.mjs", esModule = embed "workerd-main.mjs")', ...filesBelow(server).map((file) => {
    if (!file.endsWith('.mjs')) throw new Error(`cloudflare-module output has a file workerd is not told how to load: ${file}`)
    return `(name = ${JSON.stringify(file)}, esModule = embed ${JSON.stringify(join('.output', 'server', file))})`
  })]
  const bindings = [
    '(name = "ASSETS", service = "assets")',
    ...Object.entries(env).map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`),
  ]
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  # Paths of embedded files are relative to this file, written in the app's folder.
  services = [
    (name = "app", worker = (
      modules = [${modules.join(', ')}],
      compatibilityDate = "2025-07-15",
      bindings = [${bindings.join(', ')}],
      globalOutbound = "network",
    )),
    (name = "assets", disk = (path = ${JSON.stringify(join(dir, '.output', 'public'))})),
    (name = "network", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "app")],
);
`
}

const denoBin = dir => join(dir, 'node_modules', '.bin', 'deno')

/**
 * How each runtime is started: a command in the app's folder. `env` is the app's environment (`NUXT_*`), handed to
 * the runtime the way its platform hands it over.
 */
export const EDGE_RUNTIMES = {
  'workerd': ({ dir, port, env, s3 }) => {
    const file = join(dir, 'workerd.capnp')
    writeFileSync(file, workerdConfig({ dir, port, env, s3 }))
    return { command: join(dir, 'node_modules', '@cloudflare', 'workerd-linux-64', 'bin', 'workerd'), args: ['serve', file], env: {} }
  },
  'edge-runtime': ({ dir, port, env, s3 }) => {
    const file = join(dir, 'vercel-edge-before.js')
    writeFileSync(file, s3Route(s3))
    return {
      command: 'node',
      args: [fileURLToPath(new URL('./compat-vercel-edge.mjs', import.meta.url)), dir, String(port), file],
      env,
    }
  },
  // Netlify's edge functions run on Deno: the function's default export is called as Netlify calls it, with the
  // `Netlify` global the platform defines. Static files (the function answers nothing) are Netlify's CDN's: 404 here.
  'deno-netlify': ({ dir, port, env, s3 }) => {
    const file = join(dir, 'netlify-edge-serve.ts')
    writeFileSync(file, `import handler from './.netlify/edge-functions/server/server.js'
${s3Route(s3)}globalThis.Netlify = { env: { get: (name) => Deno.env.get(name), has: (name) => Deno.env.has(name), toObject: () => Deno.env.toObject() } }
Deno.serve({ hostname: '127.0.0.1', port: ${port} }, async (request) => {
  const context = { next: () => new Response('Not found', { status: 404 }) }
  return (await handler(request, context)) ?? context.next()
})
`)
    return { command: denoBin(dir), args: ['run', '--allow-net', '--allow-env', '--allow-read', file], env: { ...env, DENO_NO_UPDATE_CHECK: '1' } }
  },
  'deno': ({ dir, port, env, s3 }) => {
    const file = join(dir, 'deno-serve.ts')
    writeFileSync(file, `${s3Route(s3)}await import('./.output/server/index.mjs')\n`)
    return {
      command: denoBin(dir),
      // The flags of the `start` task Nitro writes to .output/deno.json.
      args: ['run', '--allow-net', '--allow-read', '--allow-write', '--allow-env', '--unstable-byonm', '--unstable-node-globals', file],
      env: { ...env, HOST: '127.0.0.1', PORT: String(port), DENO_NO_UPDATE_CHECK: '1' },
    }
  },
}

/** Starts the runtime for a built app (`s3`: the local S3's endpoint); returns the child process. */
export function spawnEdgeRuntime({ runtime, dir, port, env, s3, baseEnv }) {
  const start = EDGE_RUNTIMES[runtime]
  if (!start) throw new Error(`No edge runtime "${runtime}": ${Object.keys(EDGE_RUNTIMES).join(', ')}`)
  const { command, args, env: runtimeEnv } = start({ dir, port, env, s3 })
  return spawn(command, args, { cwd: dir, env: { ...baseEnv, ...runtimeEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
}

const PACKAGES = { 'workerd': '@cloudflare/workerd-linux-64', 'deno': 'deno', 'deno-netlify': 'deno', 'edge-runtime': 'edge-runtime' }

/** The version of the runtime installed in the app, as its npm package names it. */
export function runtimeVersion(dir, runtime) {
  return JSON.parse(readFileSync(join(dir, 'node_modules', PACKAGES[runtime], 'package.json'), 'utf8')).version
}
