// `npm run bench`: what the module costs per request, side by side in one run.
// Builds bench/app for production, starts the local Cognito emulator and the server, signs a user in, then measures
// pairs of endpoints with autocannon, alternating the order of each pair from round to round.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { browserCookies, freePort, signIn, startCognito } from '../test/backends/cognito.mjs'
import { startIdentityPool } from '../test/backends/identity-pool.mjs'
import { prepareModuleTypes } from '../scripts/prepare.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const appDir = join(root, 'bench/app')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
const CONNECTIONS = 10
const SLICES = 4
const user = { username: 'bench@example.com', password: 'Bench-passw0rd!' }

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options })
    child.on('exit', code => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))))
  })
}

const rssMb = pid => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
// CPU time (user + system, all threads) the server process has used, in µs: the server's cost per request, whatever
// the load generator's own speed.
const cpuMicros = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100)
}
// The load generator and the server each get a core of their own where the machine has two and `taskset`
// exists: otherwise autocannon's work for bigger requests (the session cookies) would be counted against the server.
const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' }).status === 0
const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

async function waitUntilUp(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return
    }
    catch { /* starting */ }
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`server did not answer at ${url} within 15 s`)
}

async function load(base, { path, cookie }, duration = SECONDS, pid = undefined) {
  const cpuBefore = pid && cpuMicros(pid)
  const result = await autocannon({ url: base + path, connections: CONNECTIONS, duration, headers: cookie ? { cookie } : {} })
  if (result.non2xx || result.errors) throw new Error(`${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  const cpu = pid ? (cpuMicros(pid) - cpuBefore) / result.requests.total : Number.NaN
  return { rps: result.requests.average, total: result.requests.total, p50: result.latency.p50, p99: result.latency.p99, cpu }
}

prepareModuleTypes()
const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-bench-'))
const cognito = await startCognito({ dir, emailUsernames: false, poolName: 'bench' })
const identityPool = await startIdentityPool({ userPools: [{ issuer: cognito.issuer, clientId: cognito.userPoolClientId }] })
let server
try {
  await cognito.ensureUser(user.username, user.password)
  writeFileSync(join(appDir, 'amplify_outputs.json'), JSON.stringify({
    version: '1.3',
    auth: {
      aws_region: cognito.region,
      user_pool_id: cognito.userPoolId,
      user_pool_client_id: cognito.userPoolClientId,
      identity_pool_id: identityPool.identityPoolId,
    },
  }))
  await run('nuxi', ['build', appDir], { cwd: root })

  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  cognito.resetCounts()
  const [command, ...args] = [...(pinned ? ['taskset', '-c', '1'] : []), process.execPath, join(appDir, '.output/server/index.mjs')]
  server = spawn(command, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint,
      NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT: identityPool.endpoint,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  await waitUntilUp(`${base}/api/open`)
  // What a browser sends after Amplify's `signIn`: the session cookies, signInDetails included (~3 KB).
  const tokens = await signIn(cognito, user.username, user.password)
  const cookie = browserCookies(cognito.userPoolClientId, tokens, user.username, { signInDetails: { loginId: user.username, authFlowType: 'USER_SRP_AUTH' } })

  const endpoints = {
    A: { label: 'A public SSR page, no cookies', path: '/public' },
    B: { label: 'B same page, protected, valid session', path: '/protected', cookie },
    C: { label: 'C JSON route, no auth', path: '/api/open' },
    C2: { label: 'C2 same route, no auth, with the session cookies (cost of carrying them)', path: '/api/open', cookie },
    D: { label: 'D same route + requireAmplifyUser', path: '/api/user', cookie },
    E: { label: 'E SSR page + fetchUserAttributes (Cognito)', path: '/attributes', cookie },
    F: { label: 'F JSON route + fetchAuthSession with identity credentials', path: '/api/credentials', cookie },
  }
  // The protected endpoints must really be protected, or the comparison means nothing.
  for (const key of ['B', 'D']) {
    const res = await fetch(base + endpoints[key].path, { redirect: 'manual' })
    if (res.status < 300) throw new Error(`${endpoints[key].path} answered ${res.status} without a session`)
  }

  console.log('\nWarming up…')
  for (const key of ['A', 'B', 'C', 'C2', 'D']) await load(base, endpoints[key], 2)
  const rssBefore = rssMb(server.pid)

  const results = Object.fromEntries(Object.keys(endpoints).map(key => [key, []]))
  const ratios = { BA: [], DC: [], DC2: [] }
  const cognitoPerView = { B: [], D: [] }
  // Each endpoint of a pair runs in SLICES short runs, ordered A B B A A B B A (B A A B… on odd rounds): the host's
  // speed drifts within seconds, and this way drift hits both sides alike.
  async function measurePair(first, second) {
    const slices = { [first]: [], [second]: [] }
    const cognitoCalls = { [first]: 0, [second]: 0 }
    for (let i = 0; i < SLICES / 2; i++) {
      for (const key of [first, second, second, first]) {
        const before = cognito.counts.total ?? 0
        slices[key].push(await load(base, endpoints[key], SECONDS / SLICES, server.pid))
        cognitoCalls[key] += (cognito.counts.total ?? 0) - before
      }
    }
    return Object.fromEntries([first, second].map((key) => {
      const total = slices[key].reduce((sum, slice) => sum + slice.total, 0)
      return [key, {
        rps: total / SECONDS,
        total,
        p50: median(slices[key].map(slice => slice.p50)),
        p99: median(slices[key].map(slice => slice.p99)),
        cpu: slices[key].reduce((sum, slice) => sum + slice.cpu * slice.total, 0) / total,
        cognitoPerRequest: cognitoCalls[key] / total,
      }]
    }))
  }

  for (let round = 0; round < ROUNDS; round++) {
    for (const [first, second] of [['A', 'B'], ['C', 'D'], ['C2', 'D']]) {
      const measured = await (round % 2 ? measurePair(second, first) : measurePair(first, second))
      for (const key of [first, second]) {
        results[key].push(measured[key])
        if (key in cognitoPerView) cognitoPerView[key].push(measured[key].cognitoPerRequest)
      }
      ratios[`${second}${first}`].push(measured[second].rps / measured[first].rps)
    }
    console.log(`round ${round + 1}/${ROUNDS}: B/A ${ratios.BA.at(-1).toFixed(3)}, D/C ${ratios.DC.at(-1).toFixed(3)}, D/C2 ${ratios.DC2.at(-1).toFixed(3)}`)
  }
  // Counted before E and F: the emulator fetches its own keys through the proxy to check tokens in GetUser, and so
  // does the identity-pool stand-in; neither is the app's doing.
  const jwks = cognito.counts.jwks ?? 0
  const beforeE = cognito.counts.total ?? 0
  results.E.push(await load(base, endpoints.E, SECONDS, server.pid))
  const cognitoPerViewE = ((cognito.counts.total ?? 0) - beforeE) / results.E[0].total
  results.F.push(await load(base, endpoints.F, SECONDS, server.pid))
  // One identity (the bench user) over the whole run.
  const credentialFetches = identityPool.counts.GetCredentialsForIdentity ?? 0
  const rssAfter = rssMb(server.pid)

  // The module's own work on a signed-in request, without HTTP around it (another process, on the load generator's core).
  const sessionRead = spawnSync(process.execPath, [join(root, 'bench/session-read.mjs')], { encoding: 'utf8' }).stdout.trim()
  const goal = (ok, text) => `${ok ? 'PASS' : 'FAIL'} (${text})`
  const ratioBA = median(ratios.BA)
  const ratioDC = median(ratios.DC)
  const maxPerView = Math.max(...cognitoPerView.B, ...cognitoPerView.D)
  const growth = rssAfter - rssBefore
  const checks = [
    ['B/A (median of rounds)', ratioBA.toFixed(3), goal(ratioBA >= 0.95, '>= 0.95')],
    ['D/C (median of rounds)', ratioDC.toFixed(3), goal(ratioDC >= 0.90, '>= 0.90')],
    ['D/C2: the module alone, cookies on both sides (median)', median(ratios.DC2).toFixed(3), 'reference'],
    ['Cognito requests per page view, valid token (B, D)', maxPerView.toFixed(4), goal(maxPerView === 0, '0')],
    ['JWKS fetches per process', String(jwks), goal(jwks === 1, '1')],
    ['Server RSS growth over the run (MB)', `${rssBefore.toFixed(0)} -> ${rssAfter.toFixed(0)} (+${growth.toFixed(1)})`, goal(growth < 50, '< 50 MB')],
    ['Cognito requests per view of E (reference)', cognitoPerViewE.toFixed(2), 'reference'],
    ['Reading the session in-process (`bench/session-read.mjs`)', sessionRead.replace('session read: ', ''), 'reference'],
    ['Identity-credential fetches per identity over the run (F)', `${credentialFetches} for ${results.F[0].total} requests`, goal(credentialFetches === 1, '1')],
  ]
  const rows = Object.entries(endpoints).map(([key, { label }]) => {
    const runs = results[key]
    return `| ${label} | ${median(runs.map(r => r.rps)).toFixed(0)} | ${median(runs.map(r => r.cpu)).toFixed(1)} | ${median(runs.map(r => r.p50))} | ${median(runs.map(r => r.p99))} |`
  })
  const versions = ['nuxt', 'aws-amplify', 'jose', 'cognito-local', 'autocannon']
    .map(name => `${name} ${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version}`).join(', ')
  const report = `# Benchmark results

Command: \`npm run bench\` (${ROUNDS} rounds, ${SECONDS} s per endpoint and round in ${SLICES} slices ordered ABBA, ${CONNECTIONS} connections, pair order
alternating per round, ${pinned ? 'server and load generator on a core each' : 'server and load generator not pinned'}). Machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.
Versions: ${versions}. Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.

| endpoint | req/s (median) | server CPU µs/request | p50 ms | p99 ms |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

| goal | measured | result |
| --- | --- | --- |
${checks.map(c => `| ${c.join(' | ')} |`).join('\n')}
`
  writeFileSync(join(root, 'bench/results.md'), report)
  console.log(`\n${report}`)
  process.exitCode = checks.some(c => c[2].startsWith('FAIL')) ? 1 : 0
  if (spawnSync(process.execPath, [join(root, 'bench/sessions.mjs')], { stdio: 'inherit' }).status !== 0) process.exitCode = 1
}
finally {
  server?.kill()
  await identityPool.stop()
  await cognito.stop()
  rmSync(dir, { recursive: true, force: true })
}
