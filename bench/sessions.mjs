// `node bench/sessions.mjs` (also run at the end of `npm run bench`): what a session costs per request in each of
// `serverAuth`'s stores — Amplify's cookies, Nitro storage on the memory driver, on a real Redis — and how many calls
// to Cognito a burst of concurrent requests on one expired session makes. Builds test/fixtures/session-store once
// and serves that one build three ways (the store is runtime config: NUXT_AMPLIFY_SERVER_AUTH_STORE). Prints a table.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
import { createJiti } from 'jiti'
import { browserCookies, freePort, signIn, startCognito } from '../test/backends/cognito.mjs'
import { startRedis } from '../test/backends/redis.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const appDir = join(root, 'test/fixtures/session-store')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const BURST = Number(process.env.BENCH_BURST ?? 50)
const CONNECTIONS = 10
const user = { username: 'bench@example.com', password: 'Bench-passw0rd!' }
const { expiredTokens } = await createJiti(import.meta.url).import('../test/reliability/lib/sessions.ts')

const median = values => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
// CPU time (user + system) the server has used, in µs, from /proc: its own cost, whatever the load generator's speed.
const cpuMicros = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100)
}
// As in bench/run.mjs: the server on core 1, this process (autocannon) on core 0, where the machine allows it.
const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['-pc', '0', String(process.pid)], { stdio: 'ignore' }).status === 0

async function startServer(env) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const [command, ...args] = [...(pinned ? ['taskset', '-c', '1'] : []), process.execPath, join(appDir, '.output/server/index.mjs')]
  const child = spawn(command, args, { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'inherit'] })
  for (let i = 0; i < 150; i++) {
    if (await fetch(`${base}/api/me`).then(res => res.ok, () => false)) return { base, child }
    await new Promise(r => setTimeout(r, 100))
  }
  child.kill()
  throw new Error(`server did not answer at ${base} within 15 s`)
}

/** Signs in through the app's own route and returns the Cookie header the browser would send next. */
async function appSignIn(base) {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': base },
    body: JSON.stringify(user),
  })
  if (res.status !== 200) throw new Error(`sign-in on ${base} answered ${res.status}`)
  return res.headers.getSetCookie().map(line => line.slice(0, line.indexOf(';'))).join('; ')
}

async function load(server, cookie, duration) {
  const cpuBefore = cpuMicros(server.child.pid)
  const result = await autocannon({ url: `${server.base}/api/me`, connections: CONNECTIONS, duration, headers: { cookie } })
  if (result.non2xx || result.errors) throw new Error(`${server.base}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  return { rps: result.requests.average, cpu: (cpuMicros(server.child.pid) - cpuBefore) / result.requests.total, p99: result.latency.p99 }
}

/** BURST concurrent requests on one expired session: [Cognito refresh calls, signed-in answers]. */
async function burst(cognito, base, cookie) {
  const before = cognito.counts.GetTokensFromRefreshToken ?? 0
  const answers = await Promise.all(Array.from({ length: BURST }, () => fetch(`${base}/api/me`, { headers: { cookie } }).then(res => res.json())))
  return [(cognito.counts.GetTokensFromRefreshToken ?? 0) - before, answers.filter(answer => answer.user?.username === user.username).length]
}

const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-bench-sessions-'))
const cognito = await startCognito({ dir, emailUsernames: false, poolName: 'bench-sessions' })
const redis = await startRedis({ dir })
const redisClient = new Redis(redis.port, '127.0.0.1')
const servers = {}
try {
  await cognito.ensureUser(user.username, user.password)
  const pool = {
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: cognito.userPoolId,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: cognito.userPoolClientId,
  }
  const build = spawnSync('npx', ['nuxi', 'build', appDir], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) throw new Error('nuxi build failed')
  const modes = {
    cookies: { label: 'cookies (Amplify\'s token cookies, HttpOnly)', env: { ...pool, NUXT_AMPLIFY_SERVER_AUTH_STORE: 'cookies' } },
    memory: { label: 'store: \'storage\', memory driver', env: pool },
    redis: { label: 'store: \'storage\', Redis (loopback)', env: { ...pool, SESSION_REDIS_URL: redis.url } },
  }
  const cookies = {}
  for (const [mode, { env }] of Object.entries(modes)) {
    servers[mode] = await startServer(env)
    cookies[mode] = await appSignIn(servers[mode].base)
    await load(servers[mode], cookies[mode], 1)
  }

  const runs = Object.fromEntries(Object.keys(modes).map(mode => [mode, []]))
  for (let round = 0; round < ROUNDS; round++) {
    // Rotated from round to round: the host's speed drifts, and this way the drift hits every mode alike.
    const order = Object.keys(modes).map((_, i, keys) => keys[(i + round) % keys.length])
    for (const mode of order) runs[mode].push(await load(servers[mode], cookies[mode], SECONDS))
  }

  // Expired sessions: cookies re-signed as expired (what the browser sends once its tokens are old), and the Redis
  // record edited the same way. The memory driver's records are out of reach of another process.
  const expired = await expiredTokens(await signIn(cognito, user.username, user.password))
  const bursts = { cookies: await burst(cognito, servers.cookies.base, browserCookies(cognito.userPoolClientId, expired, user.username)) }
  const redisCookie = await appSignIn(servers.redis.base)
  const key = createHash('sha256').update(redisCookie.slice(redisCookie.indexOf('=') + 1)).digest('hex')
  const record = JSON.parse(await redisClient.get(key))
  const stem = `CognitoIdentityServiceProvider.${cognito.userPoolClientId}.${user.username}.`
  const stored = { AccessToken: record.cookies[`${stem}accessToken`], IdToken: record.cookies[`${stem}idToken`] }
  const storedExpired = await expiredTokens(stored, false)
  record.cookies[`${stem}accessToken`] = storedExpired.AccessToken
  record.cookies[`${stem}idToken`] = storedExpired.IdToken
  await redisClient.set(key, JSON.stringify(record), 'KEEPTTL')
  bursts.redis = await burst(cognito, servers.redis.base, redisCookie)

  const rows = Object.entries(modes).map(([mode, { label }]) => {
    const [calls, signedIn] = bursts[mode] ?? []
    const burstCell = calls === undefined ? '—' : `${calls} call${calls === 1 ? '' : 's'}, ${signedIn}/${BURST} signed in`
    return `| ${label} | ${Buffer.byteLength(cookies[mode])} | ${median(runs[mode].map(r => r.rps)).toFixed(0)} `
      + `| ${median(runs[mode].map(r => r.cpu)).toFixed(1)} | ${median(runs[mode].map(r => r.p99))} | ${burstCell} |`
  })
  console.log(`
Sessions (\`node bench/sessions.mjs\`): GET /api/me (getAmplifyUser) with a valid session, ${ROUNDS} rounds of ${SECONDS} s per
store, ${CONNECTIONS} connections${pinned ? ', server and load generator on a core each' : ''}; then ${BURST} concurrent requests on one expired session.

| session | Cookie header (B) | req/s (median) | server CPU µs/request | p99 ms | burst of ${BURST} on an expired session: Cognito refresh calls |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`)
  const failed = Object.values(bursts).some(([calls, signedIn]) => calls !== 1 || signedIn !== BURST)
  process.exitCode = failed ? 1 : 0
}
finally {
  for (const server of Object.values(servers)) server.child.kill()
  redisClient.disconnect()
  await redis.stop()
  await cognito.stop()
  rmSync(dir, { recursive: true, force: true })
}
