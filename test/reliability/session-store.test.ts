// `serverAuth.store: 'storage'` on a production build: the memory driver (the server @nuxt/test-utils starts), then a
// real Redis shared by two more workers of the same build. Cookies of ~60 bytes, sessions that follow the user from
// one worker to the other (refresh included), sign-out that ends the session everywhere at once, and a Redis that
// stops in the middle of a run: 503s only, no session lost, recovery without a restart.
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { Redis } from 'ioredis'
import { decodeJwt } from 'jose'
import { browserCookies, startCognito } from '../backends/cognito.mjs'
import { startRedis } from '../backends/redis.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS } from '../support/fixtures'
import { figure } from './lib/figure'
import { runPool } from './lib/pool'
import { startServerProcess } from './lib/server-process'
import type { ServerProcess } from './lib/server-process'
import { createUsers, expiredTokens } from './lib/sessions'
import type { TestUser, Tokens } from './lib/sessions'

const SESSION_COOKIE = 'amplify-session'

const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-session-store-'))
const backend = await startCognito({ dir, poolName: 'session-store', emailUsernames: false })
const env = {
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: backend.endpoint,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: backend.userPoolId,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: backend.userPoolClientId,
}

await setup({ rootDir: fixtureDir('session-store'), env, setupTimeout: SETUP_TIMEOUT_MS })

const refreshCalls = () => (backend.counts as Record<string, number>).GetTokensFromRefreshToken ?? 0

afterAll(async () => {
  await backend.stop()
  rmSync(dir, { recursive: true, force: true })
})

let users: TestUser[] = []
beforeAll(async () => {
  users = await createUsers(backend, 10, 'store-user')
}, 60_000)

const get = (base: string, path: string, cookie?: string) =>
  fetch(new URL(path, base), { redirect: 'manual', headers: cookie ? { cookie } : {} })

/** The id a response gave the browser: the value, '' when it deleted it, undefined when it did not touch it. */
function sessionIdOf(res: Response): string | undefined {
  const line = res.headers.getSetCookie().find(header => header.startsWith(`${SESSION_COOKIE}=`))
  return line && line.slice(SESSION_COOKIE.length + 1, line.indexOf(';'))
}

async function signIn(base: string, user: TestUser, cookie?: string) {
  const res = await fetch(new URL('/api/auth/sign-in', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': new URL(base).origin, ...(cookie && { cookie }) },
    body: JSON.stringify({ username: user.username, password: user.password }),
  })
  expect(res.status).toBe(200)
  const id = sessionIdOf(res)!
  return { res, id, cookie: `${SESSION_COOKIE}=${id}` }
}

const signOut = (base: string, cookie: string) => fetch(new URL('/api/auth/sign-out', base), {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'origin': new URL(base).origin, cookie },
})

/** The user that `/api/whoami` (requireAmplifyUser and Amplify's fetchAuthSession) answers, or the status. */
async function whoami(base: string, cookie: string): Promise<string | number> {
  const res = await get(base, '/api/whoami', cookie)
  return res.status === 200 ? (await res.json()).tokenUsername : res.status
}

describe('store: \'storage\' with the memory driver', () => {
  const base = () => url('/')

  it('gives the browser one opaque HttpOnly id instead of the tokens, and serves pages, routes and Amplify APIs', async () => {
    const [user] = users as [TestUser]
    const { res, id, cookie } = await signIn(base(), user)
    expect(res.headers.getSetCookie()).toHaveLength(1)
    expect(res.headers.getSetCookie()[0]).toMatch(/; HttpOnly/)
    expect(Buffer.from(id, 'base64url')).toHaveLength(32)
    expect(await whoami(base(), cookie)).toBe(user.username)
    const page = await get(base(), '/whoami', cookie)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain(user.username)
    const attributes = await get(base(), '/api/auth/attributes', cookie)
    expect((await attributes.json()).email).toBe(user.username)
    expect(await (await get(base(), '/api/auth/session', cookie)).json()).toMatchObject({ user: { username: user.username } })
  })

  it('gives a new id at each sign-in: the id the browser had before is worth nothing after (no fixation)', async () => {
    const [user] = users as [TestUser]
    const first = await signIn(base(), user)
    const second = await signIn(base(), user, first.cookie)
    expect(second.id).not.toBe(first.id)
    expect(await whoami(base(), first.cookie)).toBe(401)
    expect(await whoami(base(), second.cookie)).toBe(user.username)
  })

  it('signs out by deleting the session: a copy of the id is signed out too', async () => {
    const [user] = users as [TestUser]
    const { cookie } = await signIn(base(), user)
    const res = await signOut(base(), cookie)
    expect(res.status).toBe(200)
    expect(sessionIdOf(res)).toBe('')
    expect(await whoami(base(), cookie)).toBe(401)
    const page = await get(base(), '/whoami', cookie)
    expect(page.status).toBe(302)
  })

  it('reads unknown, forged and malformed ids, and token cookies, as signed out, never a 5xx', async () => {
    const [user] = users as [TestUser]
    const tokenCookies = browserCookies(backend.userPoolClientId, user.tokens, user.username)
    for (const cookie of [`${SESSION_COOKIE}=${'A'.repeat(43)}`, `${SESSION_COOKIE}=..%ZZ`, `${SESSION_COOKIE}=${'x'.repeat(5000)}`, tokenCookies]) {
      expect(await whoami(base(), cookie)).toBe(401)
      const res = await get(base(), '/whoami', cookie)
      expect(res.status).toBe(302)
    }
    // Token cookies from before the app moved to the store are no session, and are deleted.
    const res = await get(base(), '/api/whoami', tokenCookies)
    const deleted = res.headers.getSetCookie().filter(line => line.includes('Max-Age=0')).map(line => decodeURIComponent(line.slice(0, line.indexOf('='))))
    expect(deleted).toContain(`CognitoIdentityServiceProvider.${backend.userPoolClientId}.${user.username}.accessToken`)
  })
})

describe('store: \'storage\' on Redis shared by two workers', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>
  let client: Redis
  let workers: [ServerProcess, ServerProcess]
  const redisDir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-redis-'))
  const recordKey = (id: string) => createHash('sha256').update(id).digest('hex')

  // In a beforeEach, once: @nuxt/test-utils gives its context (where the build is) to tests and their hooks only.
  beforeEach(async () => {
    if (workers) return
    redis = await startRedis({ dir: redisDir })
    client = new Redis(redis.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 })
    // Redis is stopped on purpose below: the test's own client reconnects quietly.
    client.on('error', () => {})
    const entry = join(useTestContext().nuxt!.options.nitro.output!.dir!, 'server/index.mjs')
    const workerEnv = { ...env, SESSION_REDIS_URL: redis.url }
    workers = await Promise.all([startServerProcess(entry, workerEnv), startServerProcess(entry, workerEnv)]) as [ServerProcess, ServerProcess]
  }, 60_000)

  afterAll(async () => {
    client?.disconnect()
    await Promise.all((workers ?? []).map(worker => worker.stop()))
    await redis?.stop()
    rmSync(redisDir, { recursive: true, force: true })
  })

  /** Replaces the stored tokens of a session by expired copies (the refresh token kept), as time would. */
  async function expireStoredSession(id: string, user: TestUser) {
    const key = recordKey(id)
    const record = JSON.parse((await client.get(key))!)
    const expired = await expiredTokens(user.tokens)
    const stem = `CognitoIdentityServiceProvider.${backend.userPoolClientId}.${user.username}.`
    record.cookies[`${stem}accessToken`] = expired.AccessToken
    record.cookies[`${stem}idToken`] = expired.IdToken
    await client.set(key, JSON.stringify(record), 'KEEPTTL')
  }

  const storedAccessToken = async (id: string, user: TestUser) =>
    JSON.parse((await client.get(recordKey(id)))!).cookies[`CognitoIdentityServiceProvider.${backend.userPoolClientId}.${user.username}.accessToken`] as string

  it('keeps the session under a hash of the id, never the id, with the refresh token\'s lifetime', async () => {
    const [user] = users as [TestUser]
    const { id } = await signIn(workers[0].url, user)
    expect(await client.exists(id)).toBe(0)
    const ttl = await client.ttl(recordKey(id))
    expect(ttl).toBeGreaterThan(29 * 24 * 3600)
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600)
  })

  it('signs in on one worker, serves and refreshes on the other, and signs out on both at once', async () => {
    const [user] = users as [TestUser]
    const [a, b] = workers
    const { cookie, id } = await signIn(a.url, user)
    expect(await whoami(b.url, cookie)).toBe(user.username)
    expect((await get(b.url, '/whoami', cookie)).status).toBe(200)

    await expireStoredSession(id, user)
    backend.resetCounts()
    // A burst on one worker shares one refresh; the refreshed tokens go back to Redis for the other worker.
    const answers = await Promise.all(Array.from({ length: 20 }, () => whoami(b.url, cookie)))
    expect(answers).toEqual(Array.from({ length: 20 }, () => user.username))
    expect(refreshCalls()).toBe(1)
    const refreshed = await storedAccessToken(id, user)
    expect(decodeJwt(refreshed).exp! * 1000).toBeGreaterThan(Date.now())
    expect(await whoami(a.url, cookie)).toBe(user.username)
    expect(refreshCalls()).toBe(1)

    // The access token is still valid for an hour: only the deleted record can end the session on worker B.
    const res = await signOut(a.url, cookie)
    expect(res.status).toBe(200)
    expect(await client.exists(recordKey(id))).toBe(0)
    expect(await whoami(b.url, cookie)).toBe(401)
    expect((await get(b.url, '/whoami', cookie)).status).toBe(302)
  })

  it('figure: Cookie header per request, store vs cookies', async () => {
    const [user] = users as [TestUser]
    const { cookie } = await signIn(workers[0].url, user)
    const cookieSession = browserCookies(backend.userPoolClientId, user.tokens as Tokens, user.username, {
      signInDetails: { loginId: user.username, authFlowType: 'USER_PASSWORD_AUTH' },
    })
    figure(`Session store — Cookie header per request: ${Buffer.byteLength(cookie)} B with store: 'storage', `
      + `${Buffer.byteLength(cookieSession)} B with cookies (${user.username})`)
    expect(Buffer.byteLength(cookie)).toBeLessThan(100)
    expect(Buffer.byteLength(cookieSession)).toBeGreaterThan(2000)
  })

  it('figure: Redis stopped mid-run -> 503s only, no session lost, recovery without restart', async () => {
    const sessions = await Promise.all(users.map(user => signIn(workers[0].url, user).then(({ cookie }) => ({ user, cookie }))))
    const statuses = new Map<number, number>()
    const problems: string[] = []
    let phase: 'before' | 'down' | 'after' = 'before'
    let requests = 0
    let last503 = 0
    let stopping = false

    const load = async () => {
      const queue = Array.from({ length: 100_000 }, (_, i) => i)
      await runPool(queue, 20, async (i) => {
        if (stopping) return
        const { user, cookie } = sessions[i % sessions.length]!
        const worker = workers[i % 2]!
        const res = await get(worker.url, '/api/whoami', cookie).catch((error: Error) => error)
        requests++
        if (res instanceof Error) return void problems.push(`${phase}: ${res.message} ${String(res.cause)}`)
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        const body = await res.text()
        if (sessionIdOf(res) !== undefined) problems.push(`${phase}: the id cookie was touched`)
        if (res.status === 200) {
          if (JSON.parse(body).tokenUsername !== user.username) problems.push(`${phase}: another user's answer`)
        }
        else if (res.status === 503) {
          if (phase === 'before') problems.push('503 before the outage')
          last503 = Date.now()
          if (!body.includes('SessionStoreUnavailable')) problems.push(`503 without the store's code: ${body.slice(0, 200)}`)
        }
        else {
          problems.push(`${phase}: status ${res.status} ${body.slice(0, 200)}`)
        }
      })
    }
    const running = load()
    const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
    await pause(1_000)
    phase = 'down'
    await redis.stop()
    await pause(2_000)
    const downStatuses = new Map(statuses)
    await redis.start()
    const restartedAt = Date.now()
    phase = 'after'
    // Until every session has answered 200 again, or 15 s.
    const deadline = Date.now() + 15_000
    let back: (string | number)[] = []
    while (Date.now() < deadline) {
      await pause(250)
      back = await Promise.all(sessions.map(({ cookie }, i) => whoami(workers[i % 2]!.url, cookie).catch((error: Error) => `${error.message} ${String(error.cause)}`)))
      if (back.every((answer, i) => answer === sessions[i]!.user.username)) break
    }
    stopping = true
    await running

    const count = (status: number) => statuses.get(status) ?? 0
    // Until ioredis has reconnected (its retries back off up to 2 s): the last 503, counted from the restart.
    const recovery = Math.max(0, last503 - restartedAt)
    figure(`Session store — Redis stopped for 2 s under ${requests} requests of ${sessions.length} sessions on 2 workers: `
      + `${count(200)} × 200, ${count(503)} × 503 (${downStatuses.get(503) ?? 0} while down), `
      + `${[...statuses.keys()].filter(status => status !== 200 && status !== 503).length} other statuses, `
      + `last 503 ${recovery} ms after Redis was back, ${back.filter((answer, i) => answer === sessions[i]!.user.username).length}/${sessions.length} sessions kept`)
    const lost = back.filter((answer, i) => answer !== sessions[i]!.user.username)
    if (problems.length || lost.length) console.error(String(lost), workers.map(worker => worker.logs()).join('\n---\n').slice(-5000))
    expect(problems.slice(0, 5)).toEqual([])
    expect(count(503)).toBeGreaterThan(0)
    expect(back).toEqual(sessions.map(({ user }) => user.username))
  }, 60_000)
})
