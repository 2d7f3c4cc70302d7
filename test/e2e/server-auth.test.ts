import { createHash, createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { fetch, setup } from '@nuxt/test-utils/e2e'
import { cognitoCall, freePort, startCognito } from '../backends/cognito.mjs'
import { TestCookieJar, parseSetCookies } from '../support/cookie-jar'
import type { SetCookie } from '../support/cookie-jar'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS, writeOutputs } from '../support/fixtures'
import { startHostedUi } from '../backends/hosted-ui.mjs'

// Our own pool: its client needs the fixture's callback URL, and one test shortens its token lifetimes.
const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-server-auth-'))
const backend = await startCognito({ dir, poolName: 'server-auth', emailUsernames: false, callbackUrls: ['http://127.0.0.1/placeholder'] })
const hostedUi = await startHostedUi(backend)
const [alice] = USERS as [typeof USERS[number]]

async function stopBackend() {
  await hostedUi.stop()
  await backend.stop()
  rmSync(dir, { recursive: true, force: true })
}
afterAll(stopBackend)

// The app's port is chosen here, so that its callback URL can be registered before it starts.
const port = await freePort()
const origin = `http://127.0.0.1:${port}`
const callbackUrl = `${origin}/api/auth/callback`
try {
  await backend.ensureUser(alice.username, alice.password, { name: alice.name })
  writeOutputs('server-auth', backend)
  await backend.admin('UpdateUserPoolClient', {
    ClientId: backend.userPoolClientId,
    CallbackURLs: [callbackUrl],
    LogoutURLs: [`${origin}/`],
    AllowedOAuthFlows: ['code'],
  })
}
catch (error) {
  // afterAll does not run when collecting the file fails: the emulator would outlive the run.
  await stopBackend()
  throw error
}

await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('server-auth'),
  port,
  env: {
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: backend.endpoint,
    NUXT_PUBLIC_AMPLIFY_SERVER_AUTH_HOSTED_UI_DOMAIN: hostedUi.url,
  },
})

const prefix = `CognitoIdentityServiceProvider.${backend.userPoolClientId}`
const TOKEN_COOKIES = ['LastAuthUser', 'accessToken', 'idToken', 'refreshToken']
const counts = (): Record<string, number> => ({ ...backend.counts })

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/json', 'origin': origin, 'sec-fetch-site': 'same-origin', ...headers },
    body: JSON.stringify(body),
  })
}

const get = (path: string, jar?: TestCookieJar, headers: Record<string, string> = {}) =>
  fetch(path, { redirect: 'manual', headers: { ...(jar && { cookie: jar.header(new URL(path, origin).pathname) }), ...headers } })

async function signInWithPassword(username = alice.username, password = alice.password) {
  const jar = new TestCookieJar()
  const res = await post('/api/auth/sign-in', { username, password })
  expect(res.status).toBe(200)
  jar.update(res)
  return { jar, body: await res.json() }
}

/** Every token cookie, as written: HttpOnly, SameSite=Lax, Path=/, long-lived, not Secure on plain-HTTP loopback. */
function expectHttpOnlyTokenCookies(set: SetCookie[], username: string) {
  for (const key of TOKEN_COOKIES) {
    const name = key === 'LastAuthUser' ? `${prefix}.LastAuthUser` : `${prefix}.${username}.${key}`
    const cookie = set.find(c => decodeURIComponent(c.name) === name && c.value)
    expect(cookie, name).toBeDefined()
    expect(cookie!.name, 'the browser client\'s encoding of @').toBe(name.replace('@', '%40'))
    expect(cookie!.attributes).toMatchObject({ 'httponly': true, 'samesite': 'Lax', 'path': '/', 'max-age': '31536000' })
    expect(cookie!.attributes.secure).toBeUndefined()
  }
}

const tokenCookiesIn = (set: SetCookie[]) => set.filter(c => c.name.startsWith('CognitoIdentityServiceProvider') && c.value)

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it. */
function totp(secret: string, time = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const bits = [...secret.replace(/=+$/, '').toUpperCase()].map(c => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('')
  const key = Buffer.from(bits.match(/.{8}/g)!.map(byte => Number.parseInt(byte, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30_000)))
  const hmac = createHmac('sha1', key).update(counter).digest()
  const offset = hmac[hmac.length - 1]! & 0xF
  return String((hmac.readUInt32BE(offset) & 0x7FFFFFFF) % 1_000_000).padStart(6, '0')
}

describe('server auth: password sign-in', () => {
  it('signs in on the server and sets the Amplify token cookies HttpOnly', async () => {
    const res = await post('/api/auth/sign-in', { username: alice.username, password: alice.password, redirect: '/profile' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const body = await res.json()
    expect(body).toMatchObject({
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
      user: { username: alice.username, signInDetails: { loginId: alice.username, authFlowType: 'USER_PASSWORD_AUTH' } },
      redirect: '/profile',
    })
    expect(JSON.stringify(body)).not.toMatch(/eyJ/) // no token in the answer
    expectHttpOnlyTokenCookies(parseSetCookies(res), alice.username)
  })

  it('renders protected pages and answers the session routes from the HttpOnly cookies', async () => {
    const { jar } = await signInWithPassword()
    const page = await get('/profile', jar)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain(`data-testid="username">${alice.username}`)
    expect(html).toContain('data-testid="name">Alice')

    const session = await (await get('/api/auth/session', jar)).json()
    expect(session.user).toMatchObject({ username: alice.username, userId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(await (await get('/api/auth/attributes', jar)).json()).toMatchObject({ email: alice.username, name: 'Alice' })
    expect(await (await get('/api/auth/session')).json()).toEqual({ user: null, session: null })
    expect((await get('/api/auth/attributes')).status).toBe(401)
  })

  it('refuses a wrong password or an unknown user with the same 401, and sets nothing', async () => {
    for (const [username, password] of [[alice.username, 'wrong-Passw0rd!'], ['nobody@example.com', 'whatever-1A!']]) {
      const res = await post('/api/auth/sign-in', { username, password })
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ message: 'Incorrect username or password.', data: { code: 'NotAuthorizedException' } })
      expect(res.headers.getSetCookie()).toEqual([])
    }
  })

  it('refuses cross-origin and non-JSON posts before asking Cognito', async () => {
    const before = counts().InitiateAuth ?? 0
    const credentials = { username: alice.username, password: alice.password }
    const refusals = [
      await post('/api/auth/sign-in', credentials, { 'origin': 'http://evil.example', 'sec-fetch-site': 'cross-site' }),
      await post('/api/auth/sign-in', credentials, { 'origin': 'http://evil.example', 'sec-fetch-site': '' }),
      await post('/api/auth/sign-in', credentials, { 'sec-fetch-site': 'same-site' }),
    ]
    for (const res of refusals) {
      expect(res.status).toBe(403)
      expect(await res.json()).toMatchObject({ data: { code: 'CrossOriginRequest' } })
      expect(res.headers.getSetCookie()).toEqual([])
    }
    const form = await fetch('/api/auth/sign-in', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams(credentials),
    })
    expect(form.status).toBe(415)
    expect(form.headers.getSetCookie()).toEqual([])
    expect(counts().InitiateAuth ?? 0).toBe(before)
  })

  it('answers only same-site paths as the place to go next', async () => {
    for (const redirect of ['https://evil.example/', '//evil.example', '/\\evil.example']) {
      const res = await post('/api/auth/sign-in', { username: alice.username, password: alice.password, redirect })
      expect((await res.json()).redirect, redirect).toBe('/')
    }
  })
})

describe('server auth: challenges', () => {
  it('asks for a new password, keeps the challenge in an HttpOnly cookie, and signs in with the answer', async () => {
    const carol = { username: 'carol@example.com', temporary: 'Temp-passw0rd!', chosen: 'Carol-passw0rd!' }
    await backend.admin('AdminCreateUser', { Username: carol.username, TemporaryPassword: carol.temporary, MessageAction: 'SUPPRESS' })
    const jar = new TestCookieJar()

    const first = await post('/api/auth/sign-in', { username: carol.username, password: carol.temporary })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: [] } })
    const set = jar.update(first)
    expect(tokenCookiesIn(set)).toEqual([])
    expect(set).toEqual([expect.objectContaining({
      name: 'amplify.sign-in.challenge',
      attributes: expect.objectContaining({ 'httponly': true, 'samesite': 'Strict', 'path': '/api/auth', 'max-age': '180' }),
    })])

    const answer = await post('/api/auth/sign-in', { challengeResponse: carol.chosen }, { cookie: jar.header('/api/auth/sign-in') })
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ isSignedIn: true, user: { username: carol.username } })
    const answered = jar.update(answer)
    expectHttpOnlyTokenCookies(answered, carol.username)
    expect(jar.get('amplify.sign-in.challenge')).toBeUndefined()

    // The new password is now the password.
    expect((await signInWithPassword(carol.username, carol.chosen)).body.isSignedIn).toBe(true)
  })

  it('refuses an answer when no challenge is pending', async () => {
    const res = await post('/api/auth/sign-in', { challengeResponse: '123456' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ data: { code: 'NoPendingChallenge' } })
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('asks for a TOTP code, refuses a wrong one, accepts the right one', async () => {
    const dave = { username: 'dave@example.com', password: 'Dave-passw0rd!' }
    await backend.ensureUser(dave.username, dave.password)
    await backend.admin('SetUserPoolMfaConfig', { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } })
    const { AuthenticationResult } = await cognitoCall(backend.endpoint, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: backend.userPoolClientId,
      AuthParameters: { USERNAME: dave.username, PASSWORD: dave.password },
    })
    const { SecretCode } = await cognitoCall(backend.endpoint, 'AssociateSoftwareToken', { AccessToken: AuthenticationResult.AccessToken })
    await cognitoCall(backend.endpoint, 'VerifySoftwareToken', { AccessToken: AuthenticationResult.AccessToken, UserCode: totp(SecretCode) })
    await cognitoCall(backend.endpoint, 'SetUserMFAPreference', { AccessToken: AuthenticationResult.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })

    const jar = new TestCookieJar()
    const first = await post('/api/auth/sign-in', dave)
    expect(await first.json()).toEqual({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } })
    jar.update(first)

    const wrongCode = totp(SecretCode, Date.now() + 5 * 60_000)
    const wrong = await post('/api/auth/sign-in', { challengeResponse: wrongCode }, { cookie: jar.header('/api/auth/sign-in') })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ data: { code: 'CodeMismatchException' } })
    expect(tokenCookiesIn(parseSetCookies(wrong))).toEqual([])

    const right = await post('/api/auth/sign-in', { challengeResponse: totp(SecretCode) }, { cookie: jar.header('/api/auth/sign-in') })
    expect(await right.json()).toMatchObject({ isSignedIn: true, user: { username: dave.username } })
    expectHttpOnlyTokenCookies(parseSetCookies(right), dave.username)
  })
})

describe('server auth: refresh keeps the cookies HttpOnly', () => {
  it('refreshes an expired access token on the server and writes the new tokens HttpOnly', async () => {
    // Tokens that Amplify considers expired at once (it allows 5 s of margin), still validly signed.
    await backend.admin('UpdateUserPoolClient', {
      ClientId: backend.userPoolClientId,
      AccessTokenValidity: 5,
      IdTokenValidity: 5,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' },
    })
    try {
      const { jar } = await signInWithPassword()
      const oldAccessToken = jar.get(`${prefix}.${alice.username}.accessToken`)
      const before = counts().GetTokensFromRefreshToken ?? 0
      // An Amplify server API call (here fetchUserAttributes) finds the token expired and refreshes it.
      const res = await get('/api/auth/attributes', jar)
      expect(await res.json()).toMatchObject({ email: alice.username })
      // At least once: 5-second tokens look expired to Amplify again right after each refresh.
      expect(counts().GetTokensFromRefreshToken).toBeGreaterThan(before)
      const set = parseSetCookies(res)
      const access = set.find(c => decodeURIComponent(c.name) === `${prefix}.${alice.username}.accessToken` && c.value)
      expect(access?.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' })
      expect(decodeURIComponent(access!.value)).not.toBe(oldAccessToken)
      for (const cookie of set) expect(cookie.attributes.httponly, cookie.name).toBe(true)
    }
    finally {
      await backend.admin('UpdateUserPoolClient', {
        ClientId: backend.userPoolClientId,
        AccessTokenValidity: 24,
        IdTokenValidity: 24,
        TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
      })
    }
  })
})

describe('server auth: sign-out', () => {
  const refreshWith = (refreshToken: string) => cognitoCall(backend.endpoint, 'InitiateAuth', {
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    ClientId: backend.userPoolClientId,
    AuthParameters: { REFRESH_TOKEN: refreshToken },
  })

  it('revokes the refresh token, deletes every auth cookie and goes through the Hosted UI logout', async () => {
    const { jar } = await signInWithPassword()
    const refreshToken = jar.get(`${prefix}.${alice.username}.refreshToken`)!
    await expect(refreshWith(refreshToken)).resolves.toBeDefined()
    const signedIn = jar.names()

    const res = await post('/api/auth/sign-out', undefined, { cookie: jar.header('/api/auth/sign-out') })
    expect(res.status).toBe(200)
    const body = await res.json()
    const logout = new URL(body.redirect)
    expect(body).toMatchObject({ isSignedOut: true, revoked: true })
    expect(logout.origin + logout.pathname).toBe(`${hostedUi.url}/logout`)
    expect(Object.fromEntries(logout.searchParams)).toEqual({ client_id: backend.userPoolClientId, logout_uri: `${origin}/` })

    const deleted = parseSetCookies(res)
    expect(deleted.map(c => decodeURIComponent(c.name)).sort()).toEqual(signedIn.sort())
    for (const cookie of deleted) expect(cookie.attributes['max-age'], cookie.name).toBe('0')
    await expect(refreshWith(refreshToken)).rejects.toMatchObject({ name: 'NotAuthorizedException' })

    // The Hosted UI ends its own session and sends the browser back to a registered sign-out URL.
    const back = await globalThis.fetch(body.redirect, { redirect: 'manual' })
    expect(back.status).toBe(302)
    expect(back.headers.get('location')).toBe(`${origin}/`)
  })

  it('redirects a form post (303) instead of answering JSON', async () => {
    const { jar } = await signInWithPassword()
    const res = await post('/api/auth/sign-out', undefined, { cookie: jar.header('/api/auth/sign-out'), accept: 'text/html,application/xhtml+xml' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toMatch(`${hostedUi.url}/logout?`)
    expect(tokenCookiesIn(parseSetCookies(res))).toEqual([])
  })

  it('refuses a cross-origin sign-out: nothing deleted, nothing revoked', async () => {
    const { jar } = await signInWithPassword()
    const before = counts().RevokeToken ?? 0
    const res = await post('/api/auth/sign-out', undefined, { 'cookie': jar.header('/api/auth/sign-out'), 'origin': 'http://evil.example', 'sec-fetch-site': 'cross-site' })
    expect(res.status).toBe(403)
    expect(res.headers.getSetCookie()).toEqual([])
    expect(counts().RevokeToken ?? 0).toBe(before)
    await expect(refreshWith(jar.get(`${prefix}.${alice.username}.refreshToken`)!)).resolves.toBeDefined()
  })
})

describe('server auth: Hosted UI (OAuth code flow with PKCE)', () => {
  interface Round { jar: TestCookieJar, authorize: URL }

  /** `GET /api/auth/sign-in` as a browser follows it: the redirect to the Hosted UI and the flow cookies. */
  async function startSignIn(query = '?redirect=%2Fprofile'): Promise<Round & { set: SetCookie[] }> {
    const jar = new TestCookieJar()
    const res = await get(`/api/auth/sign-in${query}`)
    expect(res.status).toBe(302)
    const set = jar.update(res)
    return { jar, set, authorize: new URL(res.headers.get('location')!) }
  }

  /** The user signs in on the Hosted UI's form; it sends the browser back with code and state. */
  async function signInAtHostedUi(authorize: URL, password = alice.password): Promise<URL> {
    const form = await globalThis.fetch(authorize)
    expect(form.status).toBe(200)
    const html = await form.text()
    const fields = Object.fromEntries([...html.matchAll(/name="(\w+)" value="([^"]*)"/g)].map(m => [m[1], m[2]]))
    const res = await globalThis.fetch(new URL('/oauth2/authorize', authorize), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...fields, username: alice.username, password }),
    })
    expect(res.status).toBe(302)
    return new URL(res.headers.get('location')!)
  }

  const callbackPath = (callback: URL) => callback.pathname + callback.search

  let before: Record<string, number>
  beforeEach(() => {
    before = counts()
  })

  it('sends the browser to the authorize endpoint with S256 PKCE and state kept in short-lived HttpOnly cookies', async () => {
    const { set, authorize } = await startSignIn()
    expect(authorize.origin + authorize.pathname).toBe(`${hostedUi.url}/oauth2/authorize`)
    const params = Object.fromEntries(authorize.searchParams)
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: backend.userPoolClientId,
      redirect_uri: callbackUrl,
      scope: 'openid email profile aws.cognito.signin.user.admin',
      code_challenge_method: 'S256',
    })
    const cookie = (name: string) => set.find(c => c.name === name)!
    for (const name of ['amplify.oauth.state', 'amplify.oauth.verifier', 'amplify.oauth.redirect']) {
      expect(cookie(name).attributes, name).toMatchObject({ 'httponly': true, 'samesite': 'Lax', 'path': '/api/auth', 'max-age': '300' })
    }
    expect(params.state).toBe(cookie('amplify.oauth.state').value)
    expect(params.state!.length).toBeGreaterThanOrEqual(43)
    const verifier = decodeURIComponent(cookie('amplify.oauth.verifier').value)
    expect(verifier).toMatch(/^[\w-]{43,128}$/)
    expect(params.code_challenge).toBe(createHash('sha256').update(verifier).digest('base64url'))
    expect(decodeURIComponent(cookie('amplify.oauth.redirect').value)).toBe('/profile')
    expect(tokenCookiesIn(set)).toEqual([])
  })

  it('completes the sign-in: code exchanged with the verifier, HttpOnly token cookies, back to the saved page', async () => {
    const { jar, authorize } = await startSignIn()
    const callback = await signInAtHostedUi(authorize)
    expect(callback.origin + callback.pathname).toBe(callbackUrl)

    const res = await get(callbackPath(callback), jar)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/profile')
    const set = jar.update(res)
    expectHttpOnlyTokenCookies(set, alice.username)
    for (const name of ['amplify.oauth.state', 'amplify.oauth.verifier', 'amplify.oauth.redirect']) {
      expect(set.find(c => c.name === name)?.attributes['max-age'], name).toBe('0')
    }
    expect(jar.names().filter(name => name.startsWith('amplify.'))).toEqual([])

    const page = await get('/profile', jar)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('data-testid="name">Alice')
  })

  it('refuses a replayed code: nothing set, back to the login page', async () => {
    const { jar, authorize } = await startSignIn()
    const callback = await signInAtHostedUi(authorize)
    const flowCookies = jar.header('/api/auth/callback')
    expect((await get(callbackPath(callback), jar)).status).toBe(302)

    // The same callback again, with the same flow cookies (an attacker who saw the URL and the cookies).
    const replay = await fetch(callbackPath(callback), { redirect: 'manual', headers: { cookie: flowCookies } })
    expect(replay.status).toBe(302)
    expect(replay.headers.get('location')).toBe('/login?error=invalid_grant&redirect=%2Fprofile')
    expect(replay.headers.getSetCookie()).toEqual([])
  })

  it('refuses a wrong state without spending the code', async () => {
    const { jar, authorize } = await startSignIn()
    const callback = await signInAtHostedUi(authorize)
    callback.searchParams.set('state', 'forged-state')
    const res = await get(callbackPath(callback), jar)
    expect(res.headers.get('location')).toBe('/login?error=state_mismatch&redirect=%2Fprofile')
    expect(res.headers.getSetCookie()).toEqual([])
    expect(counts()['POST /oauth2/token'] ?? 0).toBe(before['POST /oauth2/token'] ?? 0)
  })

  it('refuses a callback without the verifier cookie (expired, or another browser)', async () => {
    const { jar, authorize } = await startSignIn()
    const callback = await signInAtHostedUi(authorize)
    const withoutVerifier = jar.header('/api/auth/callback').split('; ').filter(c => !c.startsWith('amplify.oauth.verifier=')).join('; ')
    const res = await fetch(callbackPath(callback), { redirect: 'manual', headers: { cookie: withoutVerifier } })
    expect(res.headers.get('location')).toBe('/login?error=sign_in_expired&redirect=%2Fprofile')
    expect(res.headers.getSetCookie()).toEqual([])

    const noCookies = await fetch(callbackPath(callback), { redirect: 'manual' })
    expect(noCookies.headers.get('location')).toBe('/login?error=sign_in_expired')
    expect(noCookies.headers.getSetCookie()).toEqual([])
  })

  it('refuses an error from the Hosted UI and a callback without code', async () => {
    const { jar } = await startSignIn()
    const denied = await get('/api/auth/callback?error=access_denied&error_description=User+cancelled', jar)
    expect(denied.headers.get('location')).toBe('/login?error=access_denied&redirect=%2Fprofile')
    const bare = await get('/api/auth/callback', jar)
    expect(bare.headers.get('location')).toBe('/login?error=invalid_request&redirect=%2Fprofile')
    for (const res of [denied, bare]) expect(res.headers.getSetCookie()).toEqual([])
  })

  it('never returns to an off-site target, whether asked at the start or planted in the cookie', async () => {
    const offSite = await startSignIn(`?redirect=${encodeURIComponent('https://evil.example/')}`)
    expect(decodeURIComponent(offSite.set.find(c => c.name === 'amplify.oauth.redirect')!.value)).toBe('/')
    const res = await get(callbackPath(await signInAtHostedUi(offSite.authorize)), offSite.jar)
    expect(res.headers.get('location')).toBe('/')

    const planted = await startSignIn()
    const callback = await signInAtHostedUi(planted.authorize)
    const cookie = planted.jar.header('/api/auth/callback').replace(/amplify\.oauth\.redirect=[^;]*/, `amplify.oauth.redirect=${encodeURIComponent('//evil.example/x')}`)
    const landed = await fetch(callbackPath(callback), { redirect: 'manual', headers: { cookie } })
    expect(landed.headers.get('location')).toBe('/')
  })

  it('starts a sign-up and a sign-in with a social provider on the Hosted UI', async () => {
    const res = await get('/api/auth/sign-up')
    const signUp = new URL(res.headers.get('location')!)
    expect(signUp.origin + signUp.pathname).toBe(`${hostedUi.url}/signup`)
    expect(signUp.searchParams.get('redirect_uri')).toBe(callbackUrl)
    expect(signUp.searchParams.get('code_challenge_method')).toBe('S256')

    const google = new URL((await get('/api/auth/sign-in?provider=google')).headers.get('location')!)
    expect(google.searchParams.get('identity_provider')).toBe('Google')
  })
})

describe('server auth: pages', () => {
  it('fills useAmplifyUser during SSR from the HttpOnly cookies and guards pages', async () => {
    const { jar } = await signInWithPassword()
    expect(await (await get('/', jar)).text()).toContain(`data-testid="who">${alice.username}`)
    expect((await get('/login', jar)).headers.get('location')).toBe('/')
    const signedOut = await get('/profile')
    expect(signedOut.status).toBe(302)
    expect(signedOut.headers.get('location')).toBe('/login?redirect=/profile')
  })
})
