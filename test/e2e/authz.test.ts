// Authorization beyond "signed in", against the emulator: Cognito groups from the verified tokens, `amplifyAuth`
// route rules on pages and server routes, page meta with groups, `requireAmplifyUser(event, { groups })`, the
// `amplify:session` hook, and a forged token that claims a group.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { fetch, setup, startServer, url } from '@nuxt/test-utils/e2e'
import { SignJWT, decodeJwt, generateKeyPair } from 'jose'
import type { Browser } from 'playwright-core'
import { browserCookies, cognitoCall } from '../backends/cognito.mjs'
import { fixtureDir } from '../support/fixtures'
import { hydrated, launchChromium, loadPage, openContext, signInWithForm } from '../support/browser'
import type { TrackedContext } from '../support/browser'

const cognito = inject('cognito')

await setup({
  rootDir: fixtureDir('authz'),
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint },
})

const admin = { username: 'admin@example.com', password: 'Admin-passw0rd!' }
const member = { username: 'member@example.com', password: 'Member-passw0rd!' }
const suspended = { username: 'suspended@example.com', password: 'Suspended-passw0rd!' }

/** Past the proxy, straight to the emulator; a second run finds the users and the group already there. */
const adminCall = (operation: string, input: object) =>
  cognitoCall(cognito.emulatorUrl, operation, { UserPoolId: cognito.userPoolId, ...input }).catch((error: Error) => {
    if (!/Exists/.test(error.name)) throw error
  })

async function ensureUser(user: typeof admin, groups: string[] = []) {
  await adminCall('AdminCreateUser', {
    Username: user.username,
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: user.username }, { Name: 'email_verified', Value: 'true' }],
  })
  await adminCall('AdminSetUserPassword', { Username: user.username, Password: user.password, Permanent: true })
  for (const group of groups) await adminCall('AdminAddUserToGroup', { Username: user.username, GroupName: group })
}

async function tokensFor(user: typeof admin) {
  const { AuthenticationResult } = await cognitoCall(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: cognito.userPoolClientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  })
  return AuthenticationResult as { AccessToken: string, IdToken: string, RefreshToken: string }
}

const get = (path: string, cookie?: string) => fetch(path, { redirect: 'manual', headers: cookie ? { cookie } : {} })
/** A page as a browser asks for it: Nuxt answers errors of HTML requests with its error page. */
const getPage = (path: string, cookie?: string) =>
  fetch(path, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie && { cookie }) } })
const counts = async () => (await globalThis.fetch(`${cognito.endpoint}/__counts`)).json() as Promise<Record<string, number>>
const resetCounts = () => globalThis.fetch(`${cognito.endpoint}/__counts`, { method: 'DELETE' })

function expectLoginRedirect(res: Response, from: string) {
  expect(res.status).toBe(302)
  const location = new URL(res.headers.get('location')!, 'http://x')
  expect(location.pathname).toBe('/login')
  expect(location.searchParams.get('redirect')).toBe(from)
}

async function expectJsonError(res: Response, statusCode: number, message: string) {
  expect(res.status).toBe(statusCode)
  const body = await res.json()
  expect(body).toMatchObject({ statusCode, message, data: { error: message } })
  expect(body.stack).toBeUndefined()
  return body
}

await adminCall('CreateGroup', { GroupName: 'admin' })
await ensureUser(admin, ['admin'])
await ensureUser(member)
await ensureUser(suspended)
const cookies = {
  admin: browserCookies(cognito.userPoolClientId, await tokensFor(admin)),
  member: browserCookies(cognito.userPoolClientId, await tokensFor(member)),
  suspended: browserCookies(cognito.userPoolClientId, await tokensFor(suspended)),
}

describe('authz: getAmplifySession and the amplify:session hook', () => {
  it('reads groups, claims and expiry from the verified tokens, with no call to Cognito', async () => {
    await get('/api/session', cookies.admin)
    await resetCounts()
    const { session, hookCalls } = await (await get('/api/session', cookies.admin)).json()
    expect(session.user.username).toBe(admin.username)
    expect(session.groups).toEqual(['admin'])
    expect(session.claims).toMatchObject({ 'email': admin.username, 'cognito:username': admin.username, 'token_use': 'id' })
    const access = decodeJwt(decodeURIComponent(cookies.admin.match(/accessToken=([^;]+)/)![1]!))
    expect(session.expiresAt).toBe(access.exp! * 1000)
    // Enriched by the app's hook, which ran once for three reads.
    expect(session.data).toEqual({ role: 'administrator' })
    expect(hookCalls).toBe(1)
    expect((await counts()).total ?? 0).toBe(0)
  })

  it('is null when signed out, and the hook does not run', async () => {
    expect(await (await get('/api/session')).json()).toEqual({ session: null, hookCalls: 0 })
  })

  it('a user without groups has none', async () => {
    const { session } = await (await get('/api/session', cookies.member)).json()
    expect(session.groups).toEqual([])
    expect(session.data).toEqual({ role: 'member' })
  })

  it('a hook\'s veto answers the API with its error and renders pages signed out', async () => {
    await expectJsonError(await get('/api/session', cookies.suspended), 403, 'Suspended')
    await expectJsonError(await get('/api/private/me', cookies.suspended), 403, 'Suspended')
    const html = await (await get('/', cookies.suspended)).text()
    expect(html).toContain('data-testid="groups">signed out')
  })
})

describe('authz: requireAmplifyUser(event, { groups })', () => {
  it('admits a member of the group, answers 403 JSON to others and 401 when signed out', async () => {
    expect(await (await get('/api/group', cookies.admin)).json()).toEqual({ username: admin.username })
    const body = await expectJsonError(await get('/api/group', cookies.member), 403, 'Forbidden')
    expect(body.data.code).toBe('GroupRequired')
    await expectJsonError(await get('/api/group'), 401, 'Authentication required')
  })
})

describe('authz: route rules on server routes', () => {
  it('answers before the handler: 401 signed out, 403 without the group', async () => {
    expect(await (await get('/api/admin/stats', cookies.admin)).json()).toEqual({ stats: 'secret' })
    await expectJsonError(await get('/api/admin/stats', cookies.member), 403, 'Forbidden')
    await expectJsonError(await get('/api/admin/stats'), 401, 'Authentication required')
    expect((await get('/api/private/me', cookies.member)).status).toBe(200)
    await expectJsonError(await get('/api/private/me'), 401, 'Authentication required')
  })

  it('cannot be walked around with a trailing slash, case, encoding or a query', async () => {
    for (const path of ['/api/admin/stats/', '/api/admin/stats?x=1', '/API/admin/stats', '/api/%61dmin/stats', '/api//admin/stats']) {
      const res = await get(path, cookies.member)
      expect(await res.text(), path).not.toContain('secret')
    }
    expect((await get('/api/admin/stats/', cookies.member)).status).toBe(403)
  })
})

describe('authz: pages (route rules and page meta), server-side rendering', () => {
  it('sends the signed-out to the login page', async () => {
    expectLoginRedirect(await get('/admin'), '/admin')
    expectLoginRedirect(await get('/admin/users/42/'), '/admin/users/42/')
    expectLoginRedirect(await get('/staff'), '/staff')
  })

  it('renders the 403 error page for a signed-in user without the group', async () => {
    for (const path of ['/admin', '/admin/', '/admin/users/42', '/Admin/users/42/', '/staff']) {
      const res = await getPage(path, cookies.member)
      expect(res.status, path).toBe(403)
      expect(await res.text(), path).toMatch(/data-testid="error-status">\s*403/)
    }
  })

  it('renders the pages for the group, page meta winning over the route rule', async () => {
    expect(await (await get('/admin', cookies.admin)).text()).toContain('admin area')
    expect(await (await get('/admin/users/42', cookies.admin)).text()).toContain('admin user 42')
    expect(await (await get('/staff', cookies.admin)).text()).toContain('staff page')
    const open = await get('/admin/open', cookies.member)
    expect(open.status).toBe(200)
    expect(await open.text()).toContain('open to members')
  })

  it('a guest route rule sends the signed-in away from the login page', async () => {
    const res = await get('/login', cookies.member)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/')
    expect((await get('/login')).status).toBe(200)
  })

  it('puts the groups and the hook\'s data in the SSR state', async () => {
    const html = await (await get('/', cookies.admin)).text()
    expect(html).toContain('data-testid="admin-badge"')
    expect(html).toContain('data-testid="groups">admin')
    expect(html).toContain('data-testid="role">administrator')
  })
})

describe('authz: a forged token claiming the admin group', async () => {
  const real = await tokensFor(member)
  const claims = { ...decodeJwt(real.AccessToken), 'cognito:groups': ['admin'] }
  const { privateKey } = await generateKeyPair('RS256')
  // The emulator's header, kid and all; only the key is wrong.
  const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal', typ: 'JWT' }).sign(privateKey)
  const cookie = browserCookies(cognito.userPoolClientId, { AccessToken: forged, IdToken: real.IdToken }, member.username)

  it('is signed out everywhere, never admitted', async () => {
    await expectJsonError(await get('/api/admin/stats', cookie), 401, 'Authentication required')
    await expectJsonError(await get('/api/group', cookie), 401, 'Authentication required')
    expect(await (await get('/api/session', cookie)).json()).toEqual({ session: null, hookCalls: 0 })
    expectLoginRedirect(await get('/admin', cookie), '/admin')
  })
})

describe('authz: client-side navigation in Chromium', () => {
  let browser: Browser
  const opened: TrackedContext[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await Promise.all(opened.map(session => session.close()))
    await browser?.close()
  })

  async function signedIn(user: typeof admin) {
    const session = await openContext(browser, url('/'))
    opened.push(session)
    await loadPage(session.page, '/login')
    await signInWithForm(session.page, user, '/')
    return session
  }

  it('an admin sees the admin link state and navigates into the admin area', async () => {
    const { page, hydrationMessages } = await signedIn(admin)
    await page.getByTestId('admin-badge').waitFor()
    expect(await page.getByTestId('groups').textContent()).toBe('admin')
    await page.getByTestId('link-admin').click()
    await page.getByTestId('page').filter({ hasText: 'admin area' }).waitFor()
    await page.getByTestId('link-admin-user').click()
    await page.getByTestId('page').filter({ hasText: 'admin user 42' }).waitFor()
    // A full load of the same state: server-rendered, hydrated without a mismatch.
    await loadPage(page, '/admin')
    await page.getByTestId('admin-badge').waitFor()
    expect(hydrationMessages()).toEqual([])
  })

  it('a member gets the 403 page on client navigation, for route rules and page meta', async () => {
    const { page, hydrationMessages } = await signedIn(member)
    expect(await page.getByTestId('groups').textContent()).toBe('')
    expect(await page.getByTestId('admin-badge').count()).toBe(0)
    await page.getByTestId('link-admin').click()
    await page.getByTestId('error-status').filter({ hasText: '403' }).waitFor()
    await loadPage(page, '/')
    await page.getByTestId('link-staff').click()
    await page.getByTestId('error-status').filter({ hasText: '403' }).waitFor()
    await loadPage(page, '/')
    await hydrated(page)
    expect(hydrationMessages()).toEqual([])
  })
})

describe('authz: stale sessions of other users', () => {
  it('deletes the token cookies of the users other than LastAuthUser, three users in one jar', async () => {
    const withoutLastAuthUser = (cookie: string) => cookie.split('; ').filter(pair => !pair.includes('.LastAuthUser=')).join('; ')
    const jar = [withoutLastAuthUser(cookies.admin), withoutLastAuthUser(cookies.suspended), cookies.member].join('; ')
    const res = await get('/api/session', jar)
    expect((await res.json()).session.user.username).toBe(member.username)
    const deleted = res.headers.getSetCookie().filter(line => /Max-Age=0/.test(line)).map(line => decodeURIComponent(line.slice(0, line.indexOf('='))))
    const stem = (user: typeof admin) => `CognitoIdentityServiceProvider.${cognito.userPoolClientId}.${user.username}.`
    for (const user of [admin, suspended]) {
      for (const key of ['accessToken', 'idToken', 'refreshToken', 'clockDrift']) expect(deleted).toContain(stem(user) + key)
    }
    expect(deleted.filter(name => name.startsWith(stem(member)))).toEqual([])
    // The browser's next request carries one session: nothing more to delete.
    expect((await get('/api/session', cookies.member)).headers.getSetCookie()).toEqual([])
  })
})

// Last in the file: the server is restarted with the option set at run time (a public runtime config override).
describe('authz: auth.forbiddenPath', () => {
  let browser: Browser
  afterAll(() => browser?.close())

  it('sends signed-in users without the group there instead of the 403 page; the page itself is never protected', async () => {
    await startServer({ env: { NUXT_PUBLIC_AMPLIFY_AUTH_FORBIDDEN_PATH: '/forbidden' } })
    for (const path of ['/admin', '/admin/users/42', '/staff']) {
      const res = await getPage(path, cookies.member)
      expect(res.status, path).toBe(302)
      expect(res.headers.get('location'), path).toBe('/forbidden')
    }
    expect(await (await get('/forbidden', cookies.member)).text()).toContain('not for your groups')
    expect((await get('/forbidden')).status).toBe(200)
    expectLoginRedirect(await get('/admin'), '/admin')
    expect(await (await get('/admin', cookies.admin)).text()).toContain('admin area')
    // Server routes keep their JSON answer: a redirect is for pages only.
    await expectJsonError(await get('/api/admin/stats', cookies.member), 403, 'Forbidden')
  })

  it('is where client navigation goes too', async () => {
    browser = await launchChromium()
    const session = await openContext(browser, url('/'))
    try {
      await loadPage(session.page, '/login')
      await signInWithForm(session.page, member, '/')
      await session.page.getByTestId('link-admin').click()
      await session.page.getByTestId('page').filter({ hasText: 'not for your groups' }).waitFor()
      expect(new URL(session.page.url()).pathname).toBe('/forbidden')
      expect(session.hydrationMessages()).toEqual([])
    }
    finally {
      await session.close()
    }
  })
})
