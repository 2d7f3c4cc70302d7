// Reliability of a production build (`node .output/server/index.mjs`) against the real emulator:
// no session leaks between concurrent users, no forged session reads as signed in, no hostile input gets a 5xx or
// an off-site redirect, and a session made by one worker is good on another.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { SignJWT, decodeJwt, generateKeyPair } from 'jose'
import { signIn, startCognito } from '../backends/cognito.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS } from '../support/fixtures'
import { foreignBackends, forgedSessions } from './lib/forged'
import { HOSTILE_TARGETS, SAFE_TARGETS, generateCases, isSameSiteLocation } from './lib/malformed'
import type { MalformedCase } from './lib/malformed'
import { figure } from './lib/figure'
import { runPool } from './lib/pool'
import { createRandom } from './lib/prng'
import { rawRequest } from './lib/raw-http'
import { startServerProcess } from './lib/server-process'
import { CookieJar, cookieHeader, createUsers, expiredTokens, tokenUsername } from './lib/sessions'
import type { TestUser, Tokens } from './lib/sessions'

const USER_COUNT = 50
const REQUESTS = 5000
const CONCURRENCY = 100
/** Users whose first requests carry expired (correctly signed) tokens and a genuine refresh token. */
const REFRESHING_USERS = 10

const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-reliability-'))
const backend = await startCognito({ dir, poolName: 'reliability', emailUsernames: false })
const env = {
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: backend.endpoint,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: backend.userPoolId,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: backend.userPoolClientId,
}

await setup({ rootDir: fixtureDir('reliability'), env, setupTimeout: SETUP_TIMEOUT_MS })

afterAll(async () => {
  await backend.stop()
  rmSync(dir, { recursive: true, force: true })
})

const clientId = backend.userPoolClientId
let users: TestUser[] = []
beforeAll(async () => {
  users = await createUsers(backend, USER_COUNT, 'rel-user')
}, 120_000)

const get = (path: string, cookie?: string, base = url('/')) =>
  fetch(new URL(path, base), { redirect: 'manual', headers: cookie ? { cookie } : {} })

const testId = (html: string, id: string) => html.match(new RegExp(`data-testid="${id}">([^<]*)<`))?.[1]?.trim()

/** What is wrong with one response to `user` (empty when it is theirs alone). */
function problemsOf(user: TestUser, route: 'page' | 'api', status: number, body: string, setCookies: string[]): string[] {
  const problems: string[] = []
  if (status !== 200) return [`status ${status}`]
  if (route === 'page') {
    for (const [id, expected] of [['user', user.username], ['sub', user.sub], ['token', user.username], ['email', user.username]]) {
      const seen = testId(body, id!)
      if (seen !== expected) problems.push(`${id}=${seen}`)
    }
  }
  else {
    const json = JSON.parse(body)
    const expected = { username: user.username, sub: user.sub, tokenUsername: user.username, email: user.username }
    for (const [key, value] of Object.entries(expected)) if (json[key] !== value) problems.push(`${key}=${json[key]}`)
  }
  const others = new Set([...body.matchAll(/rel-user-\d{2}(?:@|%40)example\.com/g)].map(m => decodeURIComponent(m[0])))
  others.delete(user.username)
  if (others.size) problems.push(`other users in the body: ${[...others].join(', ')}`)
  for (const line of setCookies) {
    const [name = '', value = ''] = line.split(';')[0]!.split(/=(.*)/s)
    if (name.endsWith('.LastAuthUser')) {
      if (value && decodeURIComponent(value) !== user.username) problems.push(`LastAuthUser written for ${decodeURIComponent(value)}`)
    }
    else if (!decodeURIComponent(name).includes(`.${user.username}.`)) problems.push(`cookie written for another user: ${name}`)
    else if (/\.(?:access|id)Token$/.test(name) && value && tokenUsername(value) !== user.username) problems.push(`${name} holds a token of ${tokenUsername(value)}`)
  }
  return problems
}

describe('isolation under concurrency', () => {
  it(`answers ${REQUESTS} interleaved requests of ${USER_COUNT} users (SSR page and API), each with their own user only`, async () => {
    const random = createRandom(0x15014)
    const jars = await Promise.all(users.map(async (user, i) =>
      new CookieJar(cookieHeader(clientId, i < REFRESHING_USERS ? await expiredTokens(user.tokens) : user.tokens, user.username))))
    const schedule = Array.from({ length: REQUESTS }, () => ({ user: random.int(USER_COUNT), route: random.pick(['page', 'api'] as const) }))
    const mismatches: string[] = []
    let refreshedResponses = 0
    await fetch(new URL('/__counts', backend.endpoint), { method: 'DELETE' })
    const started = performance.now()

    await runPool(schedule, CONCURRENCY, async ({ user: index, route }, n) => {
      const user = users[index]!
      const jar = jars[index]!
      const res = await get(route === 'page' ? '/whoami' : '/api/whoami', jar.header())
      const body = await res.text()
      const setCookies = res.headers.getSetCookie()
      const problems = problemsOf(user, route, res.status, body, setCookies)
      if (problems.length) mismatches.push(`#${n} ${user.username} ${route}: ${problems.join('; ')}`)
      if (setCookies.some(line => line.includes('.accessToken='))) refreshedResponses++
      jar.apply(setCookies)
    })

    const seconds = (performance.now() - started) / 1000
    const counts = await (await fetch(new URL('/__counts', backend.endpoint))).json() as Record<string, number>
    const pages = schedule.filter(s => s.route === 'page').length
    figure(`isolation: ${REQUESTS} requests (${pages} SSR pages, ${REQUESTS - pages} API), ${USER_COUNT} users, concurrency ${CONCURRENCY}, `
      + `${mismatches.length} mismatches, ${REFRESHING_USERS} users refreshed in flight (${refreshedResponses} responses wrote new tokens, `
      + `${counts.GetTokensFromRefreshToken ?? 0} refresh calls), ${Math.round(REQUESTS / seconds)} req/s`)
    expect(mismatches.slice(0, 10)).toEqual([])
    // Every refreshing user got new tokens, and then kept them: refresh calls stay far below the request count.
    expect(refreshedResponses).toBeGreaterThanOrEqual(REFRESHING_USERS)
    for (const jar of jars.slice(0, REFRESHING_USERS)) {
      const access = [...jar.cookies].find(([name]) => name.endsWith('.accessToken'))![1]
      expect(decodeJwt(decodeURIComponent(access)).exp! * 1000).toBeGreaterThan(Date.now())
    }
  }, 180_000)
})

describe('single-flight refresh', () => {
  /** A new sign-in of `user` (a refresh token no other test has used), its access and id tokens expired. */
  const expiredSessionOf = async (user: TestUser) =>
    cookieHeader(clientId, await expiredTokens(await signIn(backend, user.username, user.password) as Tokens), user.username)
  const refreshCalls = async () => ((await (await fetch(new URL('/__counts', backend.endpoint))).json()).GetTokensFromRefreshToken ?? 0) as number
  const accessTokensWritten = (setCookies: string[]) =>
    setCookies.filter(line => /\.accessToken=[^;]/.test(line)).map(line => line.split(';')[0]!.split(/=(.*)/s)[1]!)

  it('answers 50 concurrent requests of one expired session with 1 refresh call and 1 token set', async () => {
    const user = users[40]!
    const cookie = await expiredSessionOf(user)
    await fetch(new URL('/__counts', backend.endpoint), { method: 'DELETE' })
    const answers = await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      const route = i % 2 ? 'page' as const : 'api' as const
      const res = await get(route === 'page' ? '/whoami' : '/api/whoami', cookie)
      const setCookies = res.headers.getSetCookie()
      return { problems: problemsOf(user, route, res.status, await res.text(), setCookies), written: accessTokensWritten(setCookies) }
    }))
    const calls = await refreshCalls()
    const signedIn = answers.filter(a => !a.problems.length).length
    const tokenSets = new Set(answers.flatMap(a => a.written))
    figure(`single-flight: 50 concurrent requests (25 SSR pages, 25 API) of one expired session, ${calls} refresh call(s), `
      + `${signedIn} signed-in answers, ${tokenSets.size} token set(s), ${answers.filter(a => a.written.length === 1).length} responses wrote it once`)
    expect(answers.flatMap(a => a.problems).slice(0, 5)).toEqual([])
    expect(calls).toBe(1)
    expect(tokenSets.size).toBe(1)
    expect(answers.every(a => a.written.length === 1)).toBe(true)
  })

  it('refreshes 20 sessions expiring at once under 200 concurrent requests with 20 refresh calls, each its own', async () => {
    const sessions = await Promise.all(users.slice(41, 50).concat(users.slice(10, 21)).map(async user => ({ user, cookie: await expiredSessionOf(user) })))
    const schedule = createRandom(0x51F).shuffle(sessions.flatMap(session => Array.from({ length: 10 }, (_, i) => ({ ...session, route: i % 2 ? 'page' as const : 'api' as const }))))
    await fetch(new URL('/__counts', backend.endpoint), { method: 'DELETE' })
    const written = new Map<string, Set<string>>()
    const problems: string[] = []
    const started = performance.now()
    await runPool(schedule, 200, async ({ user, cookie, route }) => {
      const res = await get(route === 'page' ? '/whoami' : '/api/whoami', cookie)
      const setCookies = res.headers.getSetCookie()
      problems.push(...problemsOf(user, route, res.status, await res.text(), setCookies).map(p => `${user.username} ${route}: ${p}`))
      const tokens = written.get(user.username) ?? new Set()
      for (const token of accessTokensWritten(setCookies)) tokens.add(token)
      written.set(user.username, tokens)
    })
    const seconds = (performance.now() - started) / 1000
    const calls = await refreshCalls()
    const oneSetEach = [...written.values()].filter(tokens => tokens.size === 1).length
    figure(`single-flight: ${sessions.length} sessions expiring at once, ${schedule.length} requests at concurrency 200, ${calls} refresh calls, `
      + `${problems.length} answers not their requester's alone, ${oneSetEach}/${sessions.length} sessions with one token set, ${seconds.toFixed(1)} s`)
    expect(problems.slice(0, 10)).toEqual([])
    expect(calls).toBe(sessions.length)
    expect(oneSetEach).toBe(sessions.length)
  }, 60_000)
})

describe('forged and foreign tokens', () => {
  it('read as signed out on a protected page (302), a protected API (401) and getAmplifyUser (null), never 5xx', async () => {
    const foreign = await foreignBackends(backend)
    const victims = users.slice(0, 10)
    const failures: string[] = []
    let requests = 0
    let fiveXx = 0
    const kinds = new Set<string>()
    for (const [i, victim] of victims.entries()) {
      const sessions = await forgedSessions(backend, foreign, victim, users[(i + 1) % users.length]!)
      for (const [kind, cookie] of Object.entries(sessions)) {
        kinds.add(kind)
        const [page, api, me] = await Promise.all([get('/whoami', cookie), get('/api/whoami', cookie), get('/api/me', cookie)])
        const meBody = await me.text()
        requests += 3
        fiveXx += [page, api, me].filter(r => r.status >= 500).length
        const location = page.headers.get('location') ?? ''
        if (page.status !== 302 || !location.startsWith('/login?redirect=')) failures.push(`${kind} (${victim.username}): page ${page.status} ${location}`)
        if (api.status !== 401) failures.push(`${kind} (${victim.username}): api ${api.status}`)
        if (me.status !== 200 || JSON.parse(meBody).user !== null) failures.push(`${kind} (${victim.username}): me ${me.status} ${meBody.slice(0, 120)}`)
      }
    }
    figure(`forged: ${kinds.size} kinds x ${victims.length} victims x 3 routes = ${requests} requests, `
      + `${requests - failures.length} signed out, ${failures.length} not, ${fiveXx} x 5xx`)
    expect(failures).toEqual([])
    expect(fiveXx).toBe(0)
  }, 120_000)
})

describe('sessions whose id token is not their access token\'s', () => {
  // Amplify's getCurrentUser names the user from the id token; only the access token says who sent the request.
  it('never read as the id token\'s user, nor as a user without a username', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const problems: string[] = []
    let requests = 0
    for (let i = 30; i < 40; i++) {
      const [attacker, victim] = [users[i]!, users[i + 1]!]
      const forgedId = await new SignJWT({ ...decodeJwt(attacker.tokens.IdToken), email: 'attacker-chosen@example.com' })
        .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey)
      const sessions: [string, string, TestUser][] = [
        ['attacker\'s access token, victim\'s genuine id token', cookieHeader(clientId, { AccessToken: attacker.tokens.AccessToken, IdToken: victim.tokens.IdToken }, victim.username), attacker],
        ['same, stored under the attacker\'s name', cookieHeader(clientId, { AccessToken: attacker.tokens.AccessToken, IdToken: victim.tokens.IdToken }, attacker.username), attacker],
        ['genuine access token, id token not a JWT', cookieHeader(clientId, { AccessToken: attacker.tokens.AccessToken, IdToken: 'x'.repeat(64) }, attacker.username), attacker],
        ['genuine access token, id token re-signed with another key', cookieHeader(clientId, { AccessToken: attacker.tokens.AccessToken, IdToken: forgedId }, attacker.username), attacker],
      ]
      for (const [kind, cookie, sender] of sessions) {
        const [page, api, me] = await Promise.all([get('/whoami', cookie), get('/api/whoami', cookie), get('/api/me', cookie)])
        requests += 3
        const pageUser = page.status === 200 ? testId(await page.text(), 'user') : null
        const apiBody = api.status === 200 ? await api.json() : null
        const meUser = (await me.json()).user
        // Signed out, or signed in as the sender with a full identity: nothing else.
        const ok = (username: unknown, sub?: unknown) => username === sender.username && (sub === undefined || sub === sender.sub)
        if (page.status === 200 && !ok(pageUser)) problems.push(`${kind}: page shows ${JSON.stringify(pageUser)}`)
        if (page.status !== 200 && page.status !== 302) problems.push(`${kind}: page ${page.status}`)
        if (apiBody && (!ok(apiBody.username, apiBody.sub) || apiBody.email === 'attacker-chosen@example.com')) problems.push(`${kind}: api says ${JSON.stringify(apiBody)}`)
        if (!apiBody && api.status !== 401) problems.push(`${kind}: api ${api.status}`)
        if (meUser !== null && !ok(meUser.username, meUser.userId)) problems.push(`${kind}: getAmplifyUser ${JSON.stringify(meUser)}`)
      }
    }
    figure(`mixed sessions: 4 kinds x 10 pairs x 3 routes = ${requests} requests, ${problems.length} answers as another user or a user without identity`)
    expect(problems.slice(0, 12)).toEqual([])
  })
})

function parseJson(body: string) {
  try {
    return JSON.parse(body)
  }
  catch {
    return {}
  }
}

/** The user a 200 answer of the fixture shows: a username, null (signed out), '' (signed in without a username), undefined (not a user route). */
function userShown(path: string, body: string): string | null | undefined {
  if (/^\/api\/me\/?(?:\?|$)/.test(path)) {
    const { user } = parseJson(body)
    return user ? user.username ?? '' : null
  }
  if (/^\/api\/whoami\/?(?:\?|$)/.test(path)) return parseJson(body).username ?? ''
  if (/^\/whoami\/?(?:\?|$)/.test(path)) return testId(body, 'user')
  if (/^\/(?:\?|$)/.test(path)) return testId(body, 'who')?.replace('signed out', '') || null
}

/** Sends every case and sorts the answers; the test asserts on the sorted result. */
async function runCases(cases: MalformedCase[], port: number) {
  const origin = `http://127.0.0.1:${port}`
  const result = { fiveXx: [] as string[], offSite: [] as string[], wrongUser: [] as string[], noIdentity: [] as string[], lostSession: [] as string[], noRedirect: [] as string[], noResponse: [] as string[], status431: 0, status400: 0, signedIn: 0, byKind: {} as Record<string, Record<number, number>> }
  const label = (c: MalformedCase) => `${c.kind}${c.note ? ` (${c.note})` : ''}: ${JSON.stringify(c.path.toString('utf8').slice(0, 100))} ${c.headers.map(([n, v]) => `${n}: ${JSON.stringify(v.toString('utf8').slice(0, 160))}`).join(' ')}`
  await runPool(cases, 16, async (c) => {
    let res
    try {
      res = await rawRequest(port, { path: c.path, headers: c.headers })
    }
    catch (error) {
      result.noResponse.push(`${label(c)} -> ${(error as Error).message}`)
      return
    }
    const statuses = result.byKind[c.kind] ??= {}
    statuses[res.status] = (statuses[res.status] ?? 0) + 1
    if (res.status >= 500) result.fiveXx.push(`${label(c)} -> ${res.status} ${res.body.slice(0, 200)}`)
    if (res.status === 431) result.status431++
    if (res.status === 400) result.status400++
    const location = res.headers.location?.[0]
    if (location !== undefined && !isSameSiteLocation(location, origin)) result.offSite.push(`${label(c)} -> ${res.status} Location: ${JSON.stringify(location)}`)
    if (c.signedInLogin && res.status === 200) result.noRedirect.push(`${label(c)} -> 200 (a signed-in user stays on the login page)`)
    if (res.status !== 200) return
    const who = userShown(c.path.toString('latin1'), res.body)
    if (who === undefined) return
    if (who === '') result.noIdentity.push(label(c))
    else if (who !== null && !c.owners.includes(who)) result.wrongUser.push(`${label(c)} -> ${who}`)
    if (who) result.signedIn++
    if (c.intact && who === null) result.lostSession.push(label(c))
  })
  return result
}

describe('malformed input', () => {
  it('never answers 5xx nor redirects off-site, over 600 generated cases (seeded)', async () => {
    const foreign = await foreignBackends(backend)
    const forged = await forgedSessions(backend, foreign, users[1]!, users[2]!)
    const forgedCookie = new CookieJar(forged['signed with another RSA key (same kid)'])
    const forgedToken = (suffix: string) => decodeURIComponent([...forgedCookie.cookies].find(([name]) => name.endsWith(suffix))![1])
    const cases = generateCases(createRandom(20251125), {
      clientId,
      users: users.slice(0, 5),
      forgedForSecond: { AccessToken: forgedToken('.accessToken'), IdToken: forgedToken('.idToken') },
    }, {
      'invalid percent-encoding in names': 60,
      'invalid percent-encoding in values': 60,
      'large cookie values': 50,
      '300 cookies': 40,
      'unicode': 50,
      'duplicated cookie names': 60,
      'LastAuthUser pointing elsewhere': 60,
      'hostile redirect targets': 160,
      'odd request targets': 40,
      'hostile host headers': 20,
    })
    const port = Number(new URL(url('/')).port)
    const result = await runCases(cases, port)
    figure(`malformed: ${cases.length} cases, ${result.fiveXx.length} x 5xx, ${result.offSite.length} off-site redirects, `
      + `${result.wrongUser.length} read as a user whose tokens were not sent, ${result.noIdentity.length} signed in without a username, ${result.lostSession.length} intact sessions lost, `
      + `${result.signedIn} signed in as the sender, ${result.status431} x 431 (over Node's 16 KB header limit), ${result.status400} x 400 (refused by Node's parser), `
      + `${result.noResponse.length} without a response`)
    figure(`malformed, statuses by kind: ${Object.entries(result.byKind).map(([kind, statuses]) =>
      `${kind} ${Object.entries(statuses).map(([status, n]) => `${n}x${status}`).join('/')}`).join('; ')}`)
    expect(result.fiveXx).toEqual([])
    expect(result.offSite).toEqual([])
    expect(result.wrongUser).toEqual([])
    expect(result.noIdentity).toEqual([])
    expect(result.noResponse).toEqual([])
    expect(result.lostSession).toEqual([])
    expect(result.noRedirect).toEqual([])
  }, 120_000)

  it('sends a signed-in user from the login page to a same-site path for every hostile target, in every encoding', async () => {
    const cookie = cookieHeader(clientId, users[0]!.tokens)
    const wrong: string[] = []
    let offSite = 0
    let fiveXx = 0
    let requests = 0
    const encodings = [encodeURIComponent, (t: string) => encodeURIComponent(encodeURIComponent(t)), (t: string) => t.replace(/\//g, '%2F')]
    await runPool(HOSTILE_TARGETS.flatMap(t => encodings.map(e => e(t))), 16, async (encoded) => {
      const res = await get(`/login?redirect=${encoded}`, cookie)
      requests++
      const location = res.headers.get('location')
      if (res.status >= 500) fiveXx++
      if (location && !isSameSiteLocation(location, new URL(url('/')).origin)) offSite++
      if (res.status !== 302 || !location || !isSameSiteLocation(location, new URL(url('/')).origin)) wrong.push(`${encoded} -> ${res.status} ${location}`)
    })
    for (const target of SAFE_TARGETS) {
      const res = await get(`/login?redirect=${encodeURIComponent(target)}`, cookie)
      // The router may re-encode the query (`%2F` → `/`): compare what a browser would request.
      const [seen, wanted] = [new URL(res.headers.get('location') ?? '', 'http://x'), new URL(target, 'http://x')]
      expect(`${seen.pathname} ${[...seen.searchParams]} ${seen.hash}`, target).toBe(`${wanted.pathname} ${[...wanted.searchParams]} ${wanted.hash}`)
    }
    figure(`redirects: ${requests} hostile targets (${HOSTILE_TARGETS.length} x ${encodings.length} encodings), signed in: `
      + `${requests - wrong.length} sent to a same-site path, ${offSite} off-site, ${fiveXx} x 5xx`)
    expect(wrong).toEqual([])
  })
})

describe('two workers of one build', () => {
  it('accepts on each worker a session signed in on the other, and a session refreshed by the other', async () => {
    const output = useTestContext().nuxt!.options.nitro.output!.dir!
    const second = await startServerProcess(join(output, 'server/index.mjs'), env)
    onTestFinished(() => second.stop())
    const first = url('/')
    const [user, other] = [users[20]!, users[21]!]
    const cookie = cookieHeader(clientId, user.tokens)
    for (const base of [first, second.url]) {
      const res = await get('/api/whoami', cookie, base)
      expect(res.status, base).toBe(200)
      expect((await res.json()).username).toBe(user.username)
      expect(testId(await (await get('/whoami', cookie, base)).text(), 'user')).toBe(user.username)
    }

    // Refreshed by one worker, used on the other with no further refresh; both directions.
    for (const [refresher, reader] of [[first, second.url], [second.url, first]] as const) {
      const jar = new CookieJar(cookieHeader(clientId, await expiredTokens(other.tokens), other.username))
      await fetch(new URL('/__counts', backend.endpoint), { method: 'DELETE' })
      const refreshed = await get('/api/whoami', jar.header(), refresher)
      expect(refreshed.status).toBe(200)
      expect((await refreshed.json()).username).toBe(other.username)
      const written = jar.apply(refreshed.headers.getSetCookie())
      expect(written.some(name => name.endsWith('.accessToken')), 'the refresh wrote a new access token').toBe(true)
      const calls = await (await fetch(new URL('/__counts', backend.endpoint))).json() as Record<string, number>
      const res = await get('/whoami', jar.header(), reader)
      expect(res.status).toBe(200)
      expect(testId(await res.text(), 'user')).toBe(other.username)
      const after = await (await fetch(new URL('/__counts', backend.endpoint))).json() as Record<string, number>
      expect(after.GetTokensFromRefreshToken ?? 0, 'the reader did not refresh again').toBe(calls.GetTokensFromRefreshToken ?? 0)
    }
    figure(`workers: 2 processes of one build, sessions signed in on either accepted by both, refreshed on either accepted by the other with 0 extra refresh calls`)
  })
})
