// `npm run bench`: what the module costs per request, and what the other ways to authenticate a Nuxt route cost,
// side by side in one run. Builds bench/app for production, starts the local Cognito emulator and the server, signs a
// user in, then measures groups of endpoints with autocannon, interleaved (bench/README.md has the method).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { createJiti } from 'jiti'
import { browserCookies, freePort, signIn, startCognito } from '../test/backends/cognito.mjs'
import { startIdentityPool } from '../test/backends/identity-pool.mjs'
import { prepareModuleTypes } from '../scripts/prepare.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const appDir = join(root, 'bench/app')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4)
// The SSR pages (A, B) render ~400 times a second against ~10,000 JSON answers: at SECONDS, B/A moved from run to run
// (0.916, 0.995, 0.949), so their group gets as many seconds as it takes for a few thousand renders per slice.
const SSR_SECONDS = Number(process.env.BENCH_SSR_SECONDS ?? 16)
const CONNECTIONS = 10
const SLICES = 4
// No character that the browser encodes in a cookie name: the guide's cookie adapter (peers G and H) reads names
// undecoded and finds no session of an email username (`@` is sent as `%40`); every way must read this one.
const user = { username: 'bench-user', email: 'bench@example.com', password: 'Bench-passw0rd!' }
const BURST = 20
const COLD_STARTS = 3
// Peer I's sealing key (nuxt-auth-utils reads NUXT_SESSION_PASSWORD); any 32+ characters.
const SESSION_PASSWORD = 'bench-session-password-of-32-characters-at-least'
const { expiredCopy } = await createJiti(import.meta.url).import('../test/support/tokens.ts')

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

/** Starts the built server (on the server's core when pinned), with `env` on top of the bench's own. */
function startServer(port, cognito, identityPool, env = {}) {
  const [command, ...args] = [...(pinned ? ['taskset', '-c', '1'] : []), process.execPath, '--expose-gc', join(appDir, '.output/server/index.mjs')]
  return spawn(command, args, {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint,
      NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT: identityPool.endpoint,
      NUXT_SESSION_PASSWORD: SESSION_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

const stopServer = server => new Promise((resolve) => {
  if (server.exitCode !== null) return resolve()
  server.once('exit', resolve)
  server.kill()
})

/** A bench script run on its own (another process, on the load generator's core): its printed lines. */
function runScript(name, ...args) {
  const result = spawnSync(process.execPath, [join(root, 'bench', name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (result.status !== 0) throw new Error(`bench/${name} exited with ${result.status}`)
  return result.stdout.trim()
}

/**
 * Milliseconds from spawning a server process to its first 200 on a signed-in API request, polled every 5 ms: what
 * a serverless cold start costs the first visitor. `env` is the variant's configuration.
 */
async function coldStart(cognito, identityPool, cookie, env) {
  const port = await freePort()
  const jwksBefore = cognito.counts.jwks ?? 0
  const started = performance.now()
  const server = startServer(port, cognito, identityPool, env)
  try {
    for (let i = 0; i < 2000; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/user`, { headers: { cookie } }).then(res => res.ok, () => false)
      if (ok) return { ms: performance.now() - started, jwks: (cognito.counts.jwks ?? 0) - jwksBefore }
      await new Promise(r => setTimeout(r, 5))
    }
    throw new Error('no signed-in answer within 10 s of start')
  }
  finally {
    await stopServer(server)
  }
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
  server = startServer(port, cognito, identityPool)
  await waitUntilUp(`${base}/api/open`)
  // What a browser sends after Amplify's `signIn`: the session cookies, signInDetails included (~3 KB).
  const tokens = await signIn(cognito, user.username, user.password)
  const cookie = browserCookies(cognito.userPoolClientId, tokens, user.username, { signInDetails: { loginId: user.email, authFlowType: 'USER_SRP_AUTH' } })
  // Peer I's own session: the same user, sealed by nuxt-auth-utils; and the same padded to our Cookie header's size.
  const claims = JSON.parse(Buffer.from(tokens.IdToken.split('.')[1], 'base64url'))
  const sealed = (await fetch(`${base}/api/peers/auth-utils-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user.username, userId: claims.sub }),
  })).headers.getSetCookie().map(header => header.split(';')[0]).find(pair => pair.startsWith('nuxt-session='))
  if (!sealed) throw new Error('nuxt-auth-utils did not set its session cookie')
  const padded = `${sealed}; bench-padding=${'x'.repeat(Math.max(0, cookie.length - sealed.length - '; bench-padding='.length))}`
  if (padded.length !== cookie.length) throw new Error(`peer I's padded Cookie header is ${padded.length} bytes, ours ${cookie.length}`)

  const endpoints = {
    A: { label: 'A public SSR page, no cookies', path: '/public' },
    B: { label: 'B same page, protected, valid session', path: '/protected', cookie },
    C: { label: 'C JSON route, no auth', path: '/api/open' },
    C2: { label: 'C2 same route, no auth, with the session cookies (cost of carrying them)', path: '/api/open', cookie },
    C4: { label: 'C4 same cookies, async route: one await and Cache-Control set, no auth (what any awaited check costs)', path: '/api/open-async', cookie },
    D: { label: 'D same route + requireAmplifyUser (ours)', path: '/api/user', cookie },
    G: { label: 'G same route, Amplify Nuxt guide recipe (no validator)', path: '/api/peers/guide', cookie },
    H: { label: 'H same route, G + Next.js adapter validator (aws-jwt-verify)', path: '/api/peers/adapter', cookie },
    I2: { label: 'I2 same route, nuxt-auth-utils requireUserSession, padded to our cookie size', path: '/api/peers/auth-utils', cookie: padded },
    C3: { label: 'C3 JSON route, no auth, with peer I\'s sealed cookie', path: '/api/open', cookie: sealed },
    I: { label: 'I same route, nuxt-auth-utils requireUserSession, its own sealed cookie', path: '/api/peers/auth-utils', cookie: sealed },
    E: { label: 'E SSR page + fetchUserAttributes (Cognito)', path: '/attributes', cookie },
    F: { label: 'F JSON route + fetchAuthSession with identity credentials', path: '/api/credentials', cookie },
  }
  // The protected endpoints must really be protected, or the comparison means nothing.
  for (const key of ['B', 'D', 'G', 'H', 'I']) {
    const res = await fetch(base + endpoints[key].path, { redirect: 'manual' })
    if (res.status < 300) throw new Error(`${endpoints[key].path} answered ${res.status} without a session`)
  }
  // And which of them let a forged signature through (the same tokens, their signatures replaced).
  const forge = token => `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`
  const forgedCookie = browserCookies(cognito.userPoolClientId, { ...tokens, AccessToken: forge(tokens.AccessToken), IdToken: forge(tokens.IdToken) }, user.username)
  const acceptsForged = {}
  const forgedOk = async key => (await fetch(base + endpoints[key].path, { headers: { cookie: forgedCookie } })).ok
  acceptsForged.D = await forgedOk('D')

  console.log('\nWarming up…')
  for (const key of ['A', 'B', 'C', 'C2', 'C4', 'D']) await load(base, endpoints[key], 2)
  // Ours alone so far: the keys it fetched. Peer H fetches its own (aws-jwt-verify's cache) from here on, once.
  const jwksOurs = cognito.counts.jwks ?? 0
  const keysCachedAt = performance.now()
  for (const key of ['G', 'H']) acceptsForged[key] = await forgedOk(key)
  for (const key of ['G', 'H', 'I2', 'C3', 'I']) await load(base, endpoints[key], 2)
  const jwksPeer = (cognito.counts.jwks ?? 0) - jwksOurs
  // RSS at both ends of the rounds, each read right after a full GC (the memory route): growth then means what the
  // process kept, not where the young generation's garbage stood when the reading happened to fall. Beside it, what
  // the heap retains: a leak grows both, V8's and malloc's reserves only RSS. Unsettled RSS, read mid-load at the
  // end of the rounds, is printed for reference.
  const memory = async () => (await fetch(`${base}/api/bench/memory`)).json()
  const retainedBefore = await memory()

  // Each group's endpoints run in SLICES short runs, in the group's order and back (A B C C B A A B C C B A), the
  // group reversed on odd rounds: the host's speed drifts within seconds, and this way drift hits all alike.
  const groups = [['A', 'B'], ['C', 'D'], ['C2', 'C4', 'D', 'G', 'H', 'I2'], ['C3', 'I']]
  const results = Object.fromEntries(Object.keys(endpoints).map(key => [key, []]))
  const perRound = []
  const cognitoPerRequest = {}
  async function measureGroup(keys, seconds) {
    const slices = Object.fromEntries(keys.map(key => [key, []]))
    const cognitoCalls = Object.fromEntries(keys.map(key => [key, 0]))
    for (let i = 0; i < SLICES / 2; i++) {
      for (const key of [...keys, ...[...keys].reverse()]) {
        const before = cognito.counts.total ?? 0
        slices[key].push(await load(base, endpoints[key], seconds / SLICES, server.pid))
        cognitoCalls[key] += (cognito.counts.total ?? 0) - before
      }
    }
    return Object.fromEntries(keys.map((key) => {
      const total = slices[key].reduce((sum, slice) => sum + slice.total, 0)
      return [key, {
        rps: total / seconds,
        total,
        p50: median(slices[key].map(slice => slice.p50)),
        p99: median(slices[key].map(slice => slice.p99)),
        cpu: slices[key].reduce((sum, slice) => sum + slice.cpu * slice.total, 0) / total,
        cognitoPerRequest: cognitoCalls[key] / total,
      }]
    }))
  }

  // The 1-minute load average at each round's start: the timed figures are only as quiet as the machine was.
  const loadDuring = []
  const load1m = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
  for (let round = 0; round < ROUNDS; round++) {
    loadDuring.push(load1m())
    const measured = {}
    for (const group of groups) {
      // D is in two groups: each ratio uses the D of its own group.
      const result = await measureGroup(round % 2 ? [...group].reverse() : group, group.includes('A') ? SSR_SECONDS : SECONDS)
      measured[group.join()] = result
      for (const [key, value] of Object.entries(result)) {
        results[key].push(value)
        cognitoPerRequest[key] = Math.max(cognitoPerRequest[key] ?? 0, value.cognitoPerRequest)
      }
    }
    const [ab, cd, peers, own] = groups.map(group => measured[group.join()])
    const extra = (key, baseline, group = peers) => group[key].cpu - group[baseline].cpu
    perRound.push({
      BA: ab.B.rps / ab.A.rps,
      DC: cd.D.rps / cd.C.rps,
      DC2: peers.D.rps / peers.C2.rps,
      DC4: peers.D.rps / peers.C4.rps,
      C4C2: peers.C4.rps / peers.C2.rps,
      extra: { D: extra('D', 'C2'), G: extra('G', 'C2'), H: extra('H', 'C2'), I2: extra('I2', 'C2'), I: extra('I', 'C3', own) },
      rpsOursTo: { G: peers.D.rps / peers.G.rps, H: peers.D.rps / peers.H.rps, I2: peers.D.rps / peers.I2.rps },
    })
    const last = perRound.at(-1)
    console.log(`round ${round + 1}/${ROUNDS}: B/A ${last.BA.toFixed(3)}, D/C2 ${last.DC2.toFixed(3)}, µs above baseline: ours ${last.extra.D.toFixed(1)}, G ${last.extra.G.toFixed(1)}, H ${last.extra.H.toFixed(1)}, I ${last.extra.I2.toFixed(1)}`)
  }
  const rssUnsettled = rssMb(server.pid)
  loadDuring.push(load1m())
  const retainedAfter = await memory()

  // One expired session, BURST requests at once: the module must refresh it once, not once per request.
  const expired = await signIn(cognito, user.username, user.password)
  const expiredCookie = browserCookies(cognito.userPoolClientId, { ...expired, AccessToken: await expiredCopy(expired.AccessToken), IdToken: await expiredCopy(expired.IdToken) }, user.username)
  const refreshesBefore = cognito.counts.GetTokensFromRefreshToken ?? 0
  const burst = await Promise.all(Array.from({ length: BURST }, () => fetch(`${base}/api/user`, { headers: { cookie: expiredCookie } })))
  const refreshCalls = (cognito.counts.GetTokensFromRefreshToken ?? 0) - refreshesBefore
  const burstOk = burst.filter(res => res.ok).length

  // Counted before E and F: the emulator fetches its own keys through the proxy to check tokens in GetUser, and so
  // does the identity-pool stand-in; neither is the app's doing.
  const jwksTotal = cognito.counts.jwks ?? 0
  // jose refetches a JWKS older than 10 minutes (its cacheMaxAge) when it is next used: a long run may see those.
  const jwksRefetchesAllowed = Math.floor((performance.now() - keysCachedAt) / 600_000)
  const jwksLater = jwksTotal - jwksOurs - jwksPeer
  const beforeE = cognito.counts.total ?? 0
  results.E.push(await load(base, endpoints.E, SECONDS, server.pid))
  const cognitoPerViewE = ((cognito.counts.total ?? 0) - beforeE) / results.E[0].total
  results.F.push(await load(base, endpoints.F, SECONDS, server.pid))
  // One identity (the bench user) over the whole run.
  const credentialFetches = identityPool.counts.GetCredentialsForIdentity ?? 0
  await stopServer(server)

  // Cold starts, the two variants alternating: keys fetched on the first request, or given (`tokens.jwks`; the
  // environment variable carries what the option puts in the runtime config, so one build serves both).
  const keys = await (await fetch(`${cognito.emulatorUrl}/${cognito.userPoolId}/.well-known/jwks.json`)).text()
  const cold = { fetched: [], given: [] }
  for (let i = 0; i < COLD_STARTS; i++) {
    cold.fetched.push(await coldStart(cognito, identityPool, cookie, {}))
    cold.given.push(await coldStart(cognito, identityPool, cookie, { NUXT_AMPLIFY_JWKS: keys }))
  }

  // The module's own work on a signed-in request, without HTTP around it; then instructions counted, not timed.
  const sessionRead = runScript('session-read.mjs')
  const instructions = JSON.parse(runScript('instructions.mjs', '--json'))
  const bundle = JSON.parse(runScript('client-bundle.mjs', '--json'))

  const mb = bytes => (bytes / 2 ** 20).toFixed(1)
  const goal = (ok, text) => `${ok ? 'PASS' : 'FAIL'} (${text})`
  const med = pick => median(perRound.map(pick))
  const ratioBA = med(r => r.BA)
  const ratioDC2 = med(r => r.DC2)
  const extraOf = key => med(r => r.extra[key])
  const maxPerView = Math.max(cognitoPerRequest.B, cognitoPerRequest.D)
  const growth = (retainedAfter.rss - retainedBefore.rss) / 2 ** 20
  const peerKeys = ['G', 'H', 'I2']
  const cheaper = peerKeys.every(key => extraOf('D') < extraOf(key) && med(r => r.rpsOursTo[key]) > 1)
  const coldMs = variant => median(cold[variant].map(c => c.ms))
  const checks = [
    ['D/C2: requireAmplifyUser vs the same route with the same cookies (median of rounds)', ratioDC2.toFixed(3), goal(ratioDC2 >= 0.93, '>= 0.93')],
    ['B/A: protected SSR page vs public page (median)', ratioBA.toFixed(3), goal(ratioBA >= 0.97, '>= 0.97')],
    ['Ours cheaper than G, H and I (µs above the same-cookie baseline; req/s ours/peer)',
      peerKeys.map(key => `${key.replace('I2', 'I')} ${(extraOf(key) / extraOf('D')).toFixed(1)}x, ${med(r => r.rpsOursTo[key]).toFixed(2)}`).join('; '),
      goal(cheaper, 'every peer costs more')],
    ['Cognito requests per request, valid session (B, D)', maxPerView.toFixed(4), goal(maxPerView === 0, '0')],
    ['JWKS fetches per process (ours at start; peer H\'s; later, with jose\'s 10-minute refetches allowed)', `${jwksOurs}; ${jwksPeer}; ${jwksLater} (${jwksRefetchesAllowed} allowed)`,
      goal(jwksOurs === 1 && jwksPeer === 1 && jwksLater <= jwksRefetchesAllowed, '1 each')],
    [`Refresh calls for ${BURST} concurrent requests of one expired session`, `${refreshCalls} (${burstOk}/${BURST} answered 200)`, goal(refreshCalls === 1 && burstOk === BURST, '1')],
    ['Server RSS growth over the rounds, each end read after a full GC (MB)', `${mb(retainedBefore.rss)} -> ${mb(retainedAfter.rss)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)})`, goal(growth < 50, '< 50 MB')],
    ['Instructions per session read, ours vs G, H, I (callgrind)', instructions.peers.map(p => `${p.key} ${p.ratio.toFixed(1)}x`).join(', '), goal(instructions.peers.every(p => p.ratio > 1), 'every peer more')],
    ['Client JS the module adds vs the guide\'s plugin, same calls (gzip)',
      `${bundle.module.toFixed(1)} KB vs ${bundle.guide.toFixed(1)} KB (the plugin with all of useAmplify()'s APIs: ${bundle.guideSame.toFixed(1)} KB)`,
      goal(bundle.module <= bundle.guide, 'not larger')],
    ['Server memory after a full GC over the rounds (MB): heap used; external (buffers)', `${mb(retainedBefore.heapUsed)} -> ${mb(retainedAfter.heapUsed)}; ${mb(retainedBefore.external)} -> ${mb(retainedAfter.external)}`, 'reference'],
    ['Server RSS at the end of the rounds, mid-load, no GC (MB)', rssUnsettled.toFixed(0), 'reference'],
    ['D/C: with the cookies vs without (reference, median)', med(r => r.DC).toFixed(3), 'reference'],
    ['C4/C2: an async route that awaits once and sets Cache-Control, checking nothing, vs C2 (reference, median)', med(r => r.C4C2).toFixed(3), 'reference'],
    ['D/C4: requireAmplifyUser vs that async route, the module\'s own share (reference, median)', med(r => r.DC4).toFixed(3), 'reference'],
    ['Identity-credential fetches per identity over the run (F)', `${credentialFetches} for ${results.F[0].total} requests`, goal(credentialFetches === 1, '1')],
    ['Cognito requests per view of E', cognitoPerViewE.toFixed(2), 'reference'],
    ['Reading the session in-process, timed (`bench/session-read.mjs`)', sessionRead.replace('session read: ', ''), 'reference'],
  ]
  const row = key => results[key].length && `| ${endpoints[key].label} | ${median(results[key].map(r => r.rps)).toFixed(0)} | ${median(results[key].map(r => r.cpu)).toFixed(1)} | ${median(results[key].map(r => r.p50))} | ${median(results[key].map(r => r.p99))} |`
  const instructionsOf = key => instructions.rows.find(r => r.key === key)
  const peerRows = [
    ['ours', 'D', 'C2', 'Amplify session cookies', 'no'],
    ['G Amplify Nuxt guide', 'G', 'C2', 'Amplify session cookies', acceptsForged.G ? '**yes**' : 'no'],
    ['H G + Next.js adapter validator', 'H', 'C2', 'Amplify session cookies', acceptsForged.H ? '**yes**' : 'no'],
    ['I nuxt-auth-utils', 'I2', 'C2', 'sealed cookie, padded to ours', 'n/a'],
    ['I nuxt-auth-utils', 'I', 'C3', `sealed cookie alone (${sealed.length} bytes)`, 'n/a'],
  ].map(([name, key, baseline, session, forged]) => {
    const runs = results[key]
    const counted = instructionsOf(key === 'I2' ? 'I' : key)
    const ratio = key === 'D' ? '1' : `${(extraOf(key) / extraOf('D')).toFixed(1)}x`
    return `| ${name} | ${session} | ${median(runs.map(r => r.rps)).toFixed(0)} | ${median(runs.map(r => r.cpu)).toFixed(1)} | ${extraOf(key).toFixed(1)} (vs ${baseline}) | ${ratio} | ${counted ? Math.round(counted.perCall).toLocaleString('en-US') : ''} | ${forged} |`
  })
  const versions = ['nuxt', 'aws-amplify', 'jose', 'aws-jwt-verify', 'nuxt-auth-utils', 'cognito-local', 'autocannon']
    .map(name => `${name} ${JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version}`).join(', ')
  const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  const report = `# Benchmark results

Command: \`npm run bench\` (${ROUNDS} rounds, ${SECONDS} s per endpoint and round (the SSR pages A and B: ${SSR_SECONDS} s) in ${SLICES} slices, each group of endpoints in its order and back, group
order reversed every other round, ${CONNECTIONS} connections, ${pinned ? 'server and load generator on a core each' : 'server and load generator not pinned'}). Machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version},
1-minute load average during the rounds ${Math.min(...loadDuring).toFixed(2)}–${Math.max(...loadDuring).toFixed(2)} (at each round's start and the end), at the end ${load1} (other jobs ran beside it: the timed figures move with them, the instruction counts do not).
Versions: ${versions}. Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Cookie header: ours ${cookie.length} bytes.

## Ours against the peers

| way | session sent | req/s | server CPU µs/request | µs above baseline | × ours | instructions per session read | accepts a forged signature |
| --- | --- | --- | --- | --- | --- | --- | --- |
${peerRows.join('\n')}

## Goals

| goal | measured | result |
| --- | --- | --- |
${checks.map(c => `| ${c.join(' | ')} |`).join('\n')}

## Instructions per session read (\`bench/instructions.mjs\`, callgrind)

${instructions.table}

## Cold start: process start to the first verified signed-in answer

| signing keys | ms (median of ${COLD_STARTS}) | JWKS fetches |
| --- | --- | --- |
| fetched on first request (default) | ${coldMs('fetched').toFixed(0)} | ${cold.fetched.map(c => c.jwks).join(', ')} |
| given, \`tokens.jwks\` | ${coldMs('given').toFixed(0)} | ${cold.given.map(c => c.jwks).join(', ')} |

## Client JavaScript (\`bench/client-bundle.mjs\`, gzip)

${bundle.table}

## All endpoints

| endpoint | req/s (median) | server CPU µs/request | p50 ms | p99 ms |
| --- | --- | --- | --- | --- |
${Object.keys(endpoints).map(row).filter(Boolean).join('\n')}
`
  writeFileSync(join(root, 'bench/results.md'), report)
  console.log(`\n${report}`)
  process.exitCode = checks.some(c => c[2].startsWith('FAIL')) ? 1 : 0
  if (spawnSync(process.execPath, [join(root, 'bench/sessions.mjs')], { stdio: 'inherit' }).status !== 0) process.exitCode = 1
}
finally {
  if (server) await stopServer(server)
  await identityPool.stop()
  await cognito.stop()
  rmSync(dir, { recursive: true, force: true })
}
