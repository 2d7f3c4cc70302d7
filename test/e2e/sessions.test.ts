import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { fetch, setup, startServer, url } from '@nuxt/test-utils/e2e'
import { jwtVerify, createRemoteJWKSet, decodeJwt } from 'jose'
import { browserCookies, cognitoCall, startCognito } from '../backends/cognito.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS } from '../support/fixtures'
import { expiredCopy, setCookies } from '../support/tokens'

// An emulator of this file's own: its tests count Cognito calls exactly, which other files' refreshes on the shared
// emulator (running beside this one) would add to.
const cognitoDir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-sessions-'))
const cognito = await startCognito({ dir: cognitoDir, emailUsernames: false })
for (const user of USERS) await cognito.ensureUser(user.username, user.password, { name: user.name })
afterAll(async () => {
  await cognito.stop()
  rmSync(cognitoDir, { recursive: true, force: true })
})
const [alice] = USERS
const env = {
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: cognito.userPoolId,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: cognito.userPoolClientId,
}

await setup({ rootDir: fixtureDir('sessions'), env, setupTimeout: SETUP_TIMEOUT_MS })

type Tokens = { AccessToken: string, IdToken: string, RefreshToken?: string }

async function signIn(user = alice, endpoint = cognito.endpoint, clientId = cognito.userPoolClientId): Promise<Tokens> {
  const { AuthenticationResult } = await cognitoCall(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  })
  return AuthenticationResult
}

/** A session whose access and id tokens have expired, with a refresh token as given. */
async function expiredSession(tokens: Tokens, refreshToken = tokens.RefreshToken) {
  return browserCookies(cognito.userPoolClientId, {
    AccessToken: await expiredCopy(tokens.AccessToken),
    IdToken: await expiredCopy(tokens.IdToken),
    RefreshToken: refreshToken,
  })
}

const get = (path: string, cookie?: string) => fetch(path, { redirect: 'manual', headers: cookie ? { cookie } : {} })
const counts = async () => (await globalThis.fetch(`${cognito.endpoint}/__counts`)).json()
const resetCounts = () => globalThis.fetch(`${cognito.endpoint}/__counts`, { method: 'DELETE' })

const prefix = `CognitoIdentityServiceProvider.${cognito.userPoolClientId}.alice%40example.com`
const authCookieNames = ['accessToken', 'idToken', 'refreshToken', 'clockDrift'].map(key => `${prefix}.${key}`)
  .concat(`CognitoIdentityServiceProvider.${cognito.userPoolClientId}.LastAuthUser`)

describe('refresh on the server', () => {
  it('refreshes an expired session once, answers signed in and writes the new tokens back', async () => {
    const cookie = await expiredSession(await signIn())
    await resetCounts()
    const res = await get('/profile', cookie)
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('alice@example.com')
    expect((await counts()).GetTokensFromRefreshToken).toBe(1)

    const written = setCookies(res)
    const access = written.get(`${prefix}.accessToken`)!
    expect(access).toMatch(/; Path=\/; .*SameSite=Lax/)
    const token = decodeURIComponent(access.split(';')[0]!.split('=')[1]!)
    const jwks = createRemoteJWKSet(new URL(`${cognito.issuer}/.well-known/jwks.json`))
    const { payload } = await jwtVerify(token, jwks, { issuer: cognito.issuer })
    expect(payload.username).toBe('alice@example.com')
    expect(written.has(`${prefix}.idToken`)).toBe(true)
    expect(res.headers.get('cache-control')).toBe('private, no-store')
  })

  it('shares one refresh between every Amplify call of a request', async () => {
    const cookie = await expiredSession(await signIn())
    await resetCounts()
    const res = await get('/api/twice', cookie)
    expect(await res.json()).toEqual({ username: 'alice@example.com', sameToken: true })
    expect((await counts()).GetTokensFromRefreshToken).toBe(1)
  })

  it('lets SSR\'s internal API calls see the refreshed tokens, and sends one set of cookies', async () => {
    const cookie = await expiredSession(await signIn())
    await resetCounts()
    const res = await get('/internal', cookie)
    const html = await res.text()
    expect(html).toMatch(/data-testid="me">\s*alice@example\.com/)
    expect(html).toMatch(/data-testid="profile">\s*alice@example\.com/)
    expect((await counts()).GetTokensFromRefreshToken).toBe(1)
    const accessCookies = res.headers.getSetCookie().filter(h => h.startsWith(`${prefix}.accessToken=`))
    expect(accessCookies).toHaveLength(1)
  })
})

describe('concurrent requests of one expired session', () => {
  const tokenOf = (res: Response, name = `${prefix}.accessToken`) => {
    const line = res.headers.getSetCookie().find(h => h.startsWith(`${name}=`))
    return line && decodeURIComponent(line.slice(name.length + 1).split(';')[0]!)
  }

  it('share one refresh: one call to Cognito, every answer signed in with the same new tokens, written once each', async () => {
    const cookie = await expiredSession(await signIn())
    await resetCounts()
    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => get(i % 3 ? '/api/profile' : '/profile', cookie)))
    expect(responses.map(r => r.status)).toEqual(responses.map(() => 200))
    for (const res of responses) expect(await res.text()).toContain('alice@example.com')
    expect((await counts()).GetTokensFromRefreshToken).toBe(1)
    for (const res of responses) {
      expect(res.headers.getSetCookie().filter(h => h.startsWith(`${prefix}.accessToken=`))).toHaveLength(1)
    }
    expect(new Set(responses.map(res => tokenOf(res))).size).toBe(1)
  })

  it('of two users racing never swap tokens: one refresh each, each answer and each cookie its requester\'s', async () => {
    const bobPrefix = `CognitoIdentityServiceProvider.${cognito.userPoolClientId}.bob%40example.com`
    const sessions = [
      { username: 'alice@example.com', prefix, cookie: await expiredSession(await signIn(alice)) },
      { username: 'bob@example.com', prefix: bobPrefix, cookie: await expiredSession(await signIn(USERS[1])) },
    ]
    await resetCounts()
    const requests = Array.from({ length: 20 }, (_, i) => sessions[i % 2]!)
    const responses = await Promise.all(requests.map(s => get('/api/profile', s.cookie)))
    expect((await counts()).GetTokensFromRefreshToken).toBe(2)
    for (const [i, res] of responses.entries()) {
      const { username, prefix: own } = requests[i]!
      expect((await res.json()).username).toBe(username)
      const written = res.headers.getSetCookie().map(h => h.slice(0, h.indexOf('=')))
      expect(written.filter(name => !name.endsWith('LastAuthUser')).every(name => name.startsWith(own))).toBe(true)
      expect(decodeJwt(tokenOf(res, `${own}.accessToken`)!).username).toBe(username)
      expect(decodeJwt(tokenOf(res, `${own}.idToken`)!)['cognito:username']).toBe(username)
    }
  })

  it('all end signed out, cookies cleared, when the refresh token was revoked', async () => {
    const tokens = await signIn()
    await cognitoCall(cognito.endpoint, 'RevokeToken', { ClientId: cognito.userPoolClientId, Token: tokens.RefreshToken })
    const cookie = await expiredSession(tokens)
    await resetCounts()
    const responses = await Promise.all(Array.from({ length: 8 }, () => get('/api/profile', cookie)))
    expect(responses.map(r => r.status)).toEqual(responses.map(() => 401))
    for (const res of responses) expect(setCookies(res).get(`${prefix}.accessToken`)).toMatch(/=; Max-Age=0/)
    expect((await counts()).GetTokensFromRefreshToken).toBe(1)
  })
})

describe('one Set-Cookie per cookie', () => {
  const names = (res: Response) => res.headers.getSetCookie().map(h => h.slice(0, h.indexOf('=')))
  const duplicates = (res: Response) => names(res).filter((name, i, all) => all.indexOf(name) !== i)

  it('on a route that passes on the cookies of an internal call racing its own refresh', async () => {
    const cookie = await expiredSession(await signIn())
    const res = await get('/api/forwarded', cookie)
    expect(await res.json()).toEqual({ user: 'alice@example.com', profile: 'alice@example.com' })
    expect(names(res)).toContain(`${prefix}.accessToken`)
    expect(duplicates(res)).toEqual([])
  })

  it('on an SSR page that refreshes and passes on the cookies of several internal calls', async () => {
    const cookie = await expiredSession(await signIn())
    const res = await get('/forwarded', cookie)
    const html = await res.text()
    expect(html).toMatch(/data-testid="forwarded">\s*dark alice@example\.com/)
    expect(names(res)).toEqual(expect.arrayContaining([`${prefix}.accessToken`, 'theme']))
    expect(duplicates(res)).toEqual([])
  })
})

describe('an unusable session is cleared and the request goes on signed out', () => {
  async function expectCleared(cookie: string) {
    const api = await get('/api/profile', cookie)
    expect(api.status).toBe(401)
    const cleared = setCookies(api)
    for (const name of authCookieNames) expect(cleared.get(name), name).toMatch(/=; Max-Age=0/)
    const page = await get('/profile', cookie)
    expect(page.status).toBe(302)
    expect(page.headers.get('cache-control')).not.toBe('private, no-store')
  }

  it('when the refresh token was revoked', async () => {
    const tokens = await signIn()
    await cognitoCall(cognito.endpoint, 'RevokeToken', { ClientId: cognito.userPoolClientId, Token: tokens.RefreshToken })
    await expectCleared(await expiredSession(tokens))
  })

  it('when the refresh token is not one Cognito issued', async () => {
    await expectCleared(await expiredSession(await signIn(), 'not-a-refresh-token'))
  })

  it('when the tokens expired and a forged clockDrift cookie claims they have not', async () => {
    const tokens = await signIn()
    const cookie = browserCookies(cognito.userPoolClientId, {
      AccessToken: await expiredCopy(tokens.AccessToken),
      IdToken: await expiredCopy(tokens.IdToken),
    }).replace(/clockDrift=0/, 'clockDrift=-100000000000')
    await expectCleared(`${cookie}; ${prefix}.refreshToken=`)
  })

  it('when the tokens expired and there is no refresh token', async () => {
    const tokens = await signIn()
    const cookie = browserCookies(cognito.userPoolClientId, {
      AccessToken: await expiredCopy(tokens.AccessToken),
      IdToken: await expiredCopy(tokens.IdToken),
    }) + `; ${prefix}.refreshToken=; ${prefix}.clockDrift=0`
    await expectCleared(cookie)
  })
})

describe('hostile requests', () => {
  it('a Host header that is not a host, with a session to clear, answers without a 5xx', async () => {
    const target = new URL(url('/api/me'))
    const tokens = await signIn()
    const cookie = browserCookies(cognito.userPoolClientId, { AccessToken: 'garbage', IdToken: tokens.IdToken }, alice.username)
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, headers: { host: '[', cookie } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBeLessThan(500)
  })
})

describe('Cache-Control', () => {
  it('marks responses with a user in them private, and leaves public ones alone', async () => {
    const cookie = browserCookies(cognito.userPoolClientId, await signIn())
    expect((await get('/', cookie)).headers.get('cache-control')).toBe('private, no-store')
    expect((await get('/api/me', cookie)).headers.get('cache-control')).toBe('private, no-store')
    expect((await get('/')).headers.get('cache-control')).not.toBe('private, no-store')
  })
})

describe('cached routes', () => {
  it('render without the session of the visitor who missed the cache', async () => {
    const cookie = browserCookies(cognito.userPoolClientId, await signIn())
    const res = await get('/api/cached-me', cookie)
    expect(await res.json()).toEqual({ user: null, tokens: false })
    expect(res.headers.getSetCookie()).toEqual([])
    expect(await (await get('/api/cached-me')).json()).toEqual({ user: null, tokens: false })
  })
})

describe('Cognito unreachable', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-outage-'))
  const backend = await startCognito({ dir, emailUsernames: false })
  await backend.ensureUser(alice.username, alice.password)
  const outageEnv = {
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: backend.endpoint,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: backend.userPoolId,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: backend.userPoolClientId,
  }
  const tokens = await signIn(alice, backend.endpoint, backend.userPoolClientId)
  const cookie = browserCookies(backend.userPoolClientId, tokens)
  // A session of its own for each test: a refresh that succeeded is shared with the same session's next requests for
  // a few seconds, which would hide the next test's failure.
  const expiredOwnSession = async () => {
    const own = await signIn(alice, backend.endpoint, backend.userPoolClientId)
    return browserCookies(backend.userPoolClientId, {
      AccessToken: await expiredCopy(own.AccessToken),
      IdToken: await expiredCopy(own.IdToken),
      RefreshToken: own.RefreshToken,
    })
  }

  // Runs last in this file: the server stays pointed at this backend until the fixture is torn down.
  afterAll(async () => {
    await backend.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers 503 JSON from API routes and renders pages signed out, then recovers by itself', async () => {
    backend.setAvailable(false)
    await startServer({ env: outageEnv })
    const api = await get('/api/profile', cookie)
    expect(api.status).toBe(503)
    expect(await api.json()).toMatchObject({ message: 'Authentication service unavailable', data: { error: 'Authentication service unavailable' } })
    const page = await get('/', cookie)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('signed out')

    backend.setAvailable(true)
    expect((await get('/api/profile', cookie)).status).toBe(200)
  })

  it('treats a JWKS that answers an error as an outage: 503, cookies kept, and no verdict remembered', async () => {
    backend.setAvailable(false, { status: 503 })
    await startServer({ env: outageEnv })
    const api = await get('/api/profile', cookie)
    expect(api.status).toBe(503)
    expect(api.headers.getSetCookie()).toEqual([])
    backend.setAvailable(true)
    expect((await get('/api/profile', cookie)).status).toBe(200)
  })

  it('keeps the session when Cognito throttles the refresh', async () => {
    const expired = await expiredOwnSession()
    backend.failOperation('GetTokensFromRefreshToken', 'TooManyRequestsException')
    const api = await get('/api/profile', expired)
    backend.failOperation('GetTokensFromRefreshToken', undefined)
    expect(api.status).toBe(503)
    expect(api.headers.getSetCookie()).toEqual([])
    expect((await get('/api/profile', expired)).status).toBe(200)
  })

  it('answers every concurrent request of a throttled refresh 503, with one call to Cognito and the cookies kept', async () => {
    const expired = await expiredOwnSession()
    backend.failOperation('GetTokensFromRefreshToken', 'TooManyRequestsException')
    // Amplify retries a throttled call on its own: a burst must cost what one request costs.
    backend.resetCounts()
    expect((await get('/api/profile', expired)).status).toBe(503)
    const oneRequest = (backend.counts as Record<string, number>).GetTokensFromRefreshToken
    backend.resetCounts()
    const responses = await Promise.all(Array.from({ length: 8 }, () => get('/api/profile', expired)))
    const burst = (backend.counts as Record<string, number>).GetTokensFromRefreshToken
    backend.failOperation('GetTokensFromRefreshToken', undefined)
    expect(responses.map(r => r.status)).toEqual(responses.map(() => 503))
    for (const res of responses) expect(res.headers.getSetCookie()).toEqual([])
    expect(burst).toBe(oneRequest)
  })

  it('keeps the cookies of an expired session while the refresh cannot reach Cognito', async () => {
    const expired = await expiredOwnSession()
    backend.setAvailable(false)
    const api = await get('/api/profile', expired)
    backend.setAvailable(true)
    expect(api.status).toBe(503)
    expect(api.headers.getSetCookie()).toEqual([])
  })
})
