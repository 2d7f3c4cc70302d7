import { describe, expect, inject, it } from 'vitest'
import { $fetch, fetch, getServerLogs, setup } from '@nuxt/test-utils/e2e'
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose'
import { browserCookies, cognitoCall } from '../backends/cognito.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS } from '../support/fixtures'

const cognito = inject('cognito')
const [alice] = USERS

await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('basic'),
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint },
})

async function tokensFor(user: typeof alice, clientId = cognito.userPoolClientId) {
  const { AuthenticationResult } = await cognitoCall(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  })
  return AuthenticationResult as { AccessToken: string, IdToken: string, RefreshToken: string }
}

const get = (path: string, cookie?: string) => fetch(path, { redirect: 'manual', headers: cookie ? { cookie } : {} })

function expectLoginRedirect(res: Response, from: string) {
  expect(res.status).toBe(302)
  const location = new URL(res.headers.get('location')!, 'http://x')
  expect(location.pathname).toBe('/login')
  expect(location.searchParams.get('redirect')).toBe(from)
}

/** Tokens that are not Cognito's: each must read as signed out. */
async function forgedSessions() {
  const real = await tokensFor(alice)
  const claims = decodeJwt(real.AccessToken)
  const { privateKey } = await generateKeyPair('RS256')
  const otherKey = await new SignJWT(claims).setProtectedHeader(decodeProtectedHeader(real.AccessToken) as { alg: string }).sign(privateKey)
  const [header, , signature] = real.AccessToken.split('.')
  const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, username: 'bob@example.com' })).toString('base64url')}.${signature}`

  const { UserPoolClient } = await cognitoCall(cognito.emulatorUrl, 'CreateUserPoolClient', {
    UserPoolId: cognito.userPoolId,
    ClientName: `other-${Date.now()}`,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
  })
  const otherClient = await tokensFor(alice, UserPoolClient.ClientId)

  const session = (accessToken: string, idToken = real.IdToken) =>
    browserCookies(cognito.userPoolClientId, { AccessToken: accessToken, IdToken: idToken }, alice.username)
  return {
    'signed with another key': session(otherKey),
    'payload tampered, signature kept': session(tampered),
    'issued for another client': browserCookies(cognito.userPoolClientId, otherClient),
    'id token in the access-token cookie': session(real.IdToken),
    'garbage': session('not-a-jwt', 'also.not.a-jwt'),
  }
}

describe('core: signed in through the emulator', async () => {
  const cookie = browserCookies(cognito.userPoolClientId, await tokensFor(alice))

  it('renders a protected page on the server with the user and their attributes', async () => {
    const res = await get('/profile', cookie)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('alice@example.com')
    expect(html).toContain('Alice')
  })

  it('runs Amplify server APIs from SSR through useAmplifyServerContext (named middleware)', async () => {
    const html = await (await get('/session', cookie)).text()
    expect(html).toMatch(/data-testid="sub">\s*[0-9a-f-]{36}/)
  })

  it('answers a protected API route with the attributes', async () => {
    const res = await get('/api/profile', cookie)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.username).toBe('alice@example.com')
    expect(body.attributes).toMatchObject({ email: 'alice@example.com', name: 'Alice' })
  })

  it('sends a signed-in user away from the guest-only login page, to a same-site target only', async () => {
    const home = await get('/login', cookie)
    expect(home.status).toBe(302)
    expect(home.headers.get('location')).toBe('/')
    expect((await get('/login?redirect=%2Fprofile', cookie)).headers.get('location')).toBe('/profile')
    for (const hostile of ['//evil.example', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)']) {
      const res = await get(`/login?redirect=${encodeURIComponent(hostile)}`, cookie)
      expect(res.headers.get('location'), hostile).toBe('/')
    }
  })

  it('shows the user on public pages too, hydrated from the SSR state', async () => {
    const html = await (await get('/', cookie)).text()
    expect(html).toContain('data-testid="who">alice@example.com')
    expect(html).toMatch(/amplify:user.*alice@example\.com/s)
  })
})

describe('core: signed out', () => {
  it('redirects a protected page to the login page with the path to return to', async () => {
    expectLoginRedirect(await get('/profile'), '/profile')
    expectLoginRedirect(await get('/session?tab=1'), '/session?tab=1')
  })

  it('answers 401 JSON without a stack from a protected API route', async () => {
    const res = await get('/api/profile')
    expect(res.status).toBe(401)
    const body = await res.json()
    expect(body).toMatchObject({ statusCode: 401, message: 'Authentication required', data: { error: 'Authentication required' } })
    expect(body.stack).toBeUndefined()
  })

  it('lets a signed-out user see the login page (never a redirect loop)', async () => {
    expect((await get('/login')).status).toBe(200)
  })
})

describe('core: forged and foreign tokens read as signed out', async () => {
  const sessions = await forgedSessions()

  it.each(Object.entries(sessions))('%s', async (_, cookie) => {
    expectLoginRedirect(await get('/profile', cookie), '/profile')
    expect((await get('/api/profile', cookie)).status).toBe(401)
    expect(await $fetch<unknown>('/api/me', { headers: { cookie } })).toEqual({ user: null })
  })
})

describe('core: logs', () => {
  it('says the custom endpoint once per process, not Amplify\'s warning per request', async () => {
    const logs = (await getServerLogs()).map(line => JSON.stringify(line)).join('\n')
    expect(logs.match(/Using a custom Amazon Cognito endpoint/g)).toHaveLength(1)
    expect(logs).not.toContain('ensure the endpoint is correct')
  })
})
