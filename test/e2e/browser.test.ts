// The module in a real browser (Debian's chromium via playwright-core): Amplify's browser client writes the
// cookies, the server renders from them, the two agree on hydration, and sessions never cross.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { fetch, setup, url, useTestContext } from '@nuxt/test-utils/e2e'
import { decodeJwt } from 'jose'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { browserCookies, signIn, startCognito } from '../backends/cognito.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS } from '../support/fixtures'
import { authCookies, hydrated, launchChromium, loadPage, openContext, reloadPage, screenshot, signInWithForm, startBuiltServer } from '../support/browser'
import type { TrackedContext } from '../support/browser'

const cognito = inject('cognito')
const [alice, bob] = USERS

await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('browser'),
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint },
})

let browser: Browser
let opened: TrackedContext[] = []

/** A new browser context (own cookie jar) on the fixture app. */
async function newSession(baseURL = url('/')) {
  const session = await openContext(browser, baseURL)
  opened.push(session)
  return session
}

/** A context signed in through the login form, on the profile page. */
async function signedInSession(user = alice) {
  const session = await newSession()
  await loadPage(session.page, '/login?redirect=/profile')
  await signInWithForm(session.page, user, '/profile')
  await session.page.getByTestId('name').filter({ hasText: user.name }).waitFor()
  return session
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent())?.trim()

/** What Amplify's `signIn` recorded about the sign-in (`{ loginId, authFlowType }`), from its cookie. */
async function signInDetails(context: BrowserContext) {
  const cookie = (await authCookies(context)).find(c => c.name.endsWith('.signInDetails'))
  return cookie && JSON.parse(decodeURIComponent(cookie.value))
}

/** A protected page reached with a full page load: the server's 302 to the login page with the path to return to. */
function expectLoginPage(page: Page, from: string) {
  const location = new URL(page.url())
  expect(location.pathname).toBe('/login')
  expect(location.searchParams.get('redirect')).toBe(from)
}

// The refresh test needs 20-second tokens: a second emulator and a second server from the same build. It signs in
// first and is checked last, so the wait for the tokens to expire overlaps the other tests. That server also runs
// with `auth.signInFlow: 'USER_PASSWORD_AUTH'` (set at run time), whose sign-in is checked on the way.
let short: Awaited<ReturnType<typeof startCognito>>
let shortDir: string
let shortServer: Awaited<ReturnType<typeof startBuiltServer>>
let refreshSession: TrackedContext
let passwordFlowSignIn: { counts: Record<string, number>, signInDetails: unknown }

beforeAll(async () => {
  browser = await launchChromium()
  shortDir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-browser-'))
  short = await startCognito({ dir: shortDir, emailUsernames: false, poolName: 'short-lived', tokenValiditySeconds: 20 })
  await short.ensureUser(alice.username, alice.password, { name: alice.name })
  shortServer = await startBuiltServer(useTestContext().nuxt!.options.nitro.output!.dir!, {
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: short.endpoint,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: short.userPoolId,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: short.userPoolClientId,
    NUXT_PUBLIC_AMPLIFY_AUTH_SIGN_IN_FLOW: 'USER_PASSWORD_AUTH',
  })
  refreshSession = await openContext(browser, shortServer.url)
  await loadPage(refreshSession.page, '/login?redirect=/profile')
  await signInWithForm(refreshSession.page, alice, '/profile')
  await refreshSession.page.getByTestId('name').filter({ hasText: alice.name }).waitFor()
  // A refresh drops the signInDetails cookie: read it now.
  passwordFlowSignIn = { counts: { ...short.counts }, signInDetails: await signInDetails(refreshSession.context) }
})

afterEach(async () => {
  await Promise.all(opened.map(session => session.close()))
  opened = []
})

afterAll(async () => {
  await browser?.close()
  await shortServer?.stop()
  await short?.stop()
  if (shortDir) rmSync(shortDir, { recursive: true, force: true })
})

describe('browser: signing in', () => {
  it('signs in through the login form (Amplify writes the cookies) and returns to the page first asked for', async () => {
    const session = await newSession()
    const { page, context } = session
    await loadPage(page, '/profile')
    expectLoginPage(page, '/profile')

    await signInWithForm(page, alice, '/profile')
    // Amplify's default flow, SRP, which the emulator's proxy answers.
    expect(await signInDetails(context)).toEqual({ loginId: alice.username, authFlowType: 'USER_SRP_AUTH' })
    await expect.poll(() => text(page, 'name')).toBe(alice.name)
    expect(await text(page, 'username')).toBe(alice.username)
    expect(await text(page, 'email')).toBe(alice.username)
    expect(await text(page, 'nav-user')).toBe(alice.username)

    const cookies = await authCookies(context)
    const names = cookies.map(cookie => cookie.name.replace(/^CognitoIdentityServiceProvider\.[^.]+\./, ''))
    expect(names).toEqual(expect.arrayContaining([
      'LastAuthUser',
      'alice%40example.com.accessToken',
      'alice%40example.com.idToken',
      'alice%40example.com.refreshToken',
    ]))
    for (const cookie of cookies) {
      // Plain HTTP on 127.0.0.1: not Secure, else the module's own attributes.
      expect(cookie, cookie.name).toMatchObject({ secure: false, sameSite: 'Lax', httpOnly: false, path: '/' })
    }
    await screenshot(page, 'test-results/screenshots/profile.png')
    expect(session.hydrationMessages()).toEqual([])
  })

  it('renders the user on the server when a protected page is reloaded', async () => {
    const session = await signedInSession(alice)
    const html = await reloadPage(session.page)
    // The HTML the server sent, before any script ran.
    expect(html).toContain(`data-testid="username">${alice.username}<`)
    expect(html).toContain(`data-testid="name">${alice.name}<`)
    expect(html).toContain(`data-testid="nav-user">${alice.username}<`)
    expect(html).not.toContain('nav-placeholder')

    // The same request made with the context's cookies, without following redirects.
    const res = await session.context.request.get('/profile', { maxRedirects: 0 })
    expect(res.status()).toBe(200)
    expect(await res.text()).toContain(`data-testid="name">${alice.name}<`)
    expect(session.hydrationMessages()).toEqual([])
  })

  it('sends client-side navigation to a protected page to the login page, and back after sign-in', async () => {
    const session = await newSession()
    const { page } = session
    await loadPage(page, '/')
    // Survives client-side navigation only: a full page load would drop it.
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }))

    await page.getByTestId('link-profile').click()
    await page.waitForURL(u => u.pathname === '/login')
    expectLoginPage(page, '/profile')

    await signInWithForm(page, alice, '/profile')
    await expect.poll(() => text(page, 'name')).toBe(alice.name)
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
    expect(session.hydrationMessages()).toEqual([])
  })
})

describe('browser: signing out', () => {
  it('clears the user and the cookies, and protects pages again', async () => {
    const session = await signedInSession(alice)
    const { page, context } = session
    expect(await authCookies(context)).not.toEqual([])

    await page.getByTestId('sign-out').click()
    await page.waitForURL(u => u.pathname === '/')
    await expect.poll(() => text(page, 'who')).toBe('signed out')
    expect(await page.getByTestId('nav-sign-in').isVisible()).toBe(true)
    expect(await authCookies(context)).toEqual([])

    // Client-side, then a full load: both go to the login page.
    await page.getByTestId('link-profile').click()
    await page.waitForURL(u => u.pathname === '/login')
    expectLoginPage(page, '/profile')
    await loadPage(page, '/profile')
    expectLoginPage(page, '/profile')
    expect((await context.request.get('/api/profile')).status()).toBe(401)

    const html = await loadPage(page, '/')
    expect(html).toContain('data-testid="who">signed out<')
    expect(session.hydrationMessages()).toEqual([])
  })
})

describe('browser: two users side by side', () => {
  it('never shows one user\'s data to the other', async () => {
    const [a, b] = await Promise.all([signedInSession(alice), signedInSession(bob)])
    for (let round = 0; round < 3; round++) {
      const [htmlA, htmlB, apiA, apiB] = await Promise.all([
        reloadPage(a.page),
        reloadPage(b.page),
        a.context.request.get('/api/profile').then(res => res.json()),
        b.context.request.get('/api/profile').then(res => res.json()),
      ])
      expect(htmlA).toContain(`data-testid="name">${alice.name}<`)
      expect(htmlA).not.toContain('bob')
      expect(htmlB).toContain(`data-testid="name">${bob.name}<`)
      expect(htmlB).not.toContain('alice')
      expect(apiA).toMatchObject({ username: alice.username, attributes: { name: alice.name } })
      expect(apiB).toMatchObject({ username: bob.username, attributes: { name: bob.name } })
    }
    expect(await text(a.page, 'nav-user')).toBe(alice.username)
    expect(await text(b.page, 'nav-user')).toBe(bob.username)
    expect(a.hydrationMessages()).toEqual([])
    expect(b.hydrationMessages()).toEqual([])
  })
})

describe('<AmplifyAuthState>', () => {
  const navOf = (html: string) => html.slice(html.indexOf('<nav'), html.indexOf('</nav>'))

  it('renders the default slot on the server, signed in and signed out, never the placeholder', async () => {
    const cookie = browserCookies(cognito.userPoolClientId, await signIn(cognito, alice.username, alice.password))
    const signedIn = navOf(await (await fetch('/', { headers: { cookie } })).text())
    expect(signedIn).toContain(`data-testid="nav-user">${alice.username}<`)
    expect(signedIn).toContain('data-testid="sign-out"')
    expect(signedIn).not.toContain('nav-sign-in')
    expect(signedIn).not.toContain('nav-placeholder')

    const signedOut = navOf(await (await fetch('/')).text())
    expect(signedOut).toContain('data-testid="nav-sign-in"')
    expect(signedOut).not.toContain('nav-user')
    expect(signedOut).not.toContain('nav-placeholder')
  })

  it('shows the placeholder on a prerendered page, then the signed-in user once hydrated', async () => {
    const session = await signedInSession(alice)
    const html = await loadPage(session.page, '/static')
    expect(navOf(html)).toContain('data-testid="nav-placeholder"')
    expect(html).not.toContain(alice.username)
    await expect.poll(() => text(session.page, 'nav-user')).toBe(alice.username)
    expect(await session.page.getByTestId('nav-placeholder').count()).toBe(0)
    expect(session.hydrationMessages()).toEqual([])
  })

  it('shows the placeholder on a prerendered page, then the sign-in link for a signed-out visitor', async () => {
    const session = await newSession()
    const html = await loadPage(session.page, '/static')
    expect(navOf(html)).toContain('data-testid="nav-placeholder"')
    await session.page.getByTestId('nav-sign-in').waitFor()
    expect(session.hydrationMessages()).toEqual([])
  })

  it('keeps the session out of a page rendered for a shared cache', async () => {
    const session = await signedInSession(alice)
    // Alice's request fills the cache: the render must not carry her session.
    const html = await loadPage(session.page, '/cached')
    expect(html).not.toContain(alice.username)
    expect(navOf(html)).toContain('data-testid="nav-placeholder"')
    // The browser then settles who she is.
    await expect.poll(() => text(session.page, 'nav-user')).toBe(alice.username)
    await expect.poll(() => text(session.page, 'who')).toBe(alice.username)

    const anonymous = await (await fetch('/cached')).text()
    expect(anonymous).not.toContain(alice.username)
    expect(anonymous).toContain('data-testid="who">nobody<')
    expect(session.hydrationMessages()).toEqual([])
  })
})

describe('browser: the console check itself', () => {
  it('sees a hydration mismatch where there is one', async () => {
    const session = await newSession()
    await loadPage(session.page, '/mismatch')
    await expect.poll(() => session.hydrationMessages().length).toBeGreaterThan(0)
  })
})

describe('Amplify UI\'s <Authenticator> (in <ClientOnly>)', () => {
  // Amplify's SRP runs in the page (a few 3072-bit powers in JavaScript): seconds on a busy machine.
  const SIGN_IN = { timeout: 15_000 }
  const consoleErrors = (session: TrackedContext) => session.messages.filter(line => /^(?:error|pageerror):/.test(line))
  const authenticatorSignIn = async (page: Page, user: { username: string, password: string }) => {
    await page.locator('input[name="username"]').fill(user.username)
    await page.locator('input[name="password"]').fill(user.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }

  it('signs in through its form: useAmplifyUser follows from Amplify\'s Hub, the page goes to the saved redirect, the server renders the user', async () => {
    const session = await newSession()
    const { page, context } = session
    await loadPage(page, '/profile')
    expectLoginPage(page, '/profile')
    const html = await loadPage(page, '/authenticator?redirect=/profile')
    // The server renders the fallback and its own view of the session, never the Authenticator.
    expect(html).toContain('data-testid="authenticator-placeholder"')
    expect(html).toContain('data-testid="page-user">signed out<')
    // (Its styles, in the head, name it too.)
    expect(html.slice(html.indexOf('<main'), html.indexOf('</main>'))).not.toContain('data-amplify-authenticator')
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }))

    await authenticatorSignIn(page, alice)
    await page.waitForURL(u => u.pathname === '/profile')
    // A client-side navigation, driven by the user ref that Amplify's `signedIn` event filled.
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true)
    await expect.poll(() => text(page, 'name'), SIGN_IN).toBe(alice.name)
    expect(await text(page, 'nav-user')).toBe(alice.username)
    expect(await signInDetails(context)).toEqual({ loginId: alice.username, authFlowType: 'USER_SRP_AUTH' })

    const reloaded = await reloadPage(page)
    expect(reloaded).toContain(`data-testid="username">${alice.username}<`)
    expect(reloaded).toContain(`data-testid="name">${alice.name}<`)
    expect(session.hydrationMessages()).toEqual([])
    expect(consoleErrors(session)).toEqual([])
  })

  it('signs out from its own button: the user, the cookies and the server\'s view of the session are cleared', async () => {
    const session = await signedInSession(alice)
    const { page, context } = session
    const html = await loadPage(page, '/authenticator')
    expect(html).toContain(`data-testid="page-user">${alice.username}<`)
    await expect.poll(() => text(page, 'authenticator-user'), SIGN_IN).toBe(alice.username)

    await page.getByTestId('authenticator-sign-out').click()
    await expect.poll(() => text(page, 'page-user'), SIGN_IN).toBe('signed out')
    await page.getByTestId('nav-sign-in').waitFor()
    expect(await authCookies(context)).toEqual([])
    // Its form is back, and the server sees no session either.
    await page.locator('input[name="username"]').waitFor()
    expect((await context.request.get('/api/profile')).status()).toBe(401)
    expect(await loadPage(page, '/authenticator')).toContain('data-testid="page-user">signed out<')
    await loadPage(page, '/profile')
    expectLoginPage(page, '/profile')
    expect(session.hydrationMessages()).toEqual([])
    expect(consoleErrors(session)).toEqual([])
  })

  it('shows Cognito\'s message for a wrong password and stays signed out', async () => {
    const session = await newSession()
    const { page, context } = session
    await loadPage(page, '/authenticator?redirect=/profile')
    await authenticatorSignIn(page, { username: alice.username, password: 'Wrong-passw0rd!' })
    await page.getByText('Incorrect username or password.').waitFor()
    expect(new URL(page.url()).pathname).toBe('/authenticator')
    expect(await text(page, 'page-user')).toBe('signed out')
    expect(await authCookies(context)).toEqual([])
  })

  /** The code the second emulator "sent": cognito-local logs it and keeps it with the user. */
  async function emailedCode(username: string) {
    const code = () => {
      const { Users } = JSON.parse(readFileSync(join(shortDir, '.cognito', 'db', `${short.userPoolId}.json`), 'utf8'))
      return (Object.values(Users) as { Username: string, ConfirmationCode?: string }[]).find(u => u.Username === username)?.ConfirmationCode
    }
    await expect.poll(code).toMatch(/^\d{6}$/)
    return code()!
  }

  it('creates an account and confirms it with the emailed code, then is signed in (against the second emulator)', async () => {
    const session = await openContext(browser, shortServer.url)
    opened.push(session)
    const { page } = session
    const newUser = { username: `new-${Date.now()}@example.com`, password: 'New-passw0rd!' }
    await loadPage(page, '/authenticator')
    await page.getByRole('tab', { name: 'Create Account' }).click()
    await page.locator('input[name="username"]').fill(newUser.username)
    await page.locator('input[name="password"]').fill(newUser.password)
    await page.locator('input[name="confirm_password"]').fill(newUser.password)
    await page.getByRole('button', { name: 'Create Account' }).click()

    await page.locator('input[name="confirmation_code"]').fill(await emailedCode(newUser.username))
    await page.getByRole('button', { name: 'Confirm' }).click()

    // Amplify signs the new user in by itself after the confirmation (autoSignIn, the default SRP flow).
    await expect.poll(() => text(page, 'page-user'), SIGN_IN).toBe(newUser.username)
    expect(await reloadPage(page)).toContain(`data-testid="page-user">${newUser.username}<`)
    expect(session.hydrationMessages()).toEqual([])
  })

  it('resets a forgotten password with the emailed code, then signs in with the new one (against the second emulator)', async () => {
    const forgetful = { username: `forgetful-${Date.now()}@example.com`, password: 'Old-passw0rd!' }
    await short.ensureUser(forgetful.username, forgetful.password)
    const session = await openContext(browser, shortServer.url)
    opened.push(session)
    const { page } = session
    await loadPage(page, '/authenticator')
    await page.getByRole('button', { name: 'Forgot your password?' }).click()
    await page.locator('input[name="username"]').fill(forgetful.username)
    await page.getByRole('button', { name: 'Send code' }).click()
    await page.locator('input[name="confirmation_code"]').fill(await emailedCode(forgetful.username))
    await page.locator('input[name="password"]').fill('Renewed-passw0rd!')
    await page.locator('input[name="confirm_password"]').fill('Renewed-passw0rd!')
    await page.getByRole('button', { name: 'Submit' }).click()

    await authenticatorSignIn(page, { username: forgetful.username, password: 'Renewed-passw0rd!' })
    await expect.poll(() => text(page, 'page-user'), SIGN_IN).toBe(forgetful.username)
    expect(session.hydrationMessages()).toEqual([])
  })
})

describe('auth.signInFlow', () => {
  it('signs in with the flow the app names (USER_PASSWORD_AUTH here, set at run time) instead of SRP', () => {
    expect(passwordFlowSignIn.signInDetails).toEqual({ loginId: alice.username, authFlowType: 'USER_PASSWORD_AUTH' })
    // One InitiateAuth with the password, no SRP challenge to answer.
    expect(passwordFlowSignIn.counts.InitiateAuth).toBe(1)
    expect(passwordFlowSignIn.counts.RespondToAuthChallenge).toBeUndefined()
  })
})

describe('browser: token refresh with 20-second tokens', () => {
  it('refreshes in the browser after the access token expired, and the server renders the user from the new cookies', { timeout: 60_000 }, async () => {
    const { page, context } = refreshSession
    const accessToken = async () => (await authCookies(context)).find(c => c.name.endsWith('.accessToken'))!.value
    const before = await accessToken()
    const { exp } = decodeJwt(decodeURIComponent(before))
    // Bounded: the token was issued at most 20 s ago.
    const wait = exp! * 1000 + 1000 - Date.now()
    expect(wait).toBeLessThanOrEqual(21_000)
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
    // Refresh calls that reached "Cognito" (the emulator's proxy), from the browser or the server.
    const refreshes = () => (short.counts as Record<string, number>).GetTokensFromRefreshToken ?? 0
    const refreshesBefore = refreshes()

    // Client-side navigation to a protected page: the route guard asks Amplify for the user, which refreshes.
    await page.getByTestId('link-home').click()
    await page.waitForURL(u => u.pathname === '/')
    await page.getByTestId('link-profile').click()
    await page.waitForURL(u => u.pathname === '/profile')
    await expect.poll(() => text(page, 'name')).toBe(alice.name)
    await expect.poll(accessToken).not.toBe(before)
    expect(decodeJwt(decodeURIComponent(await accessToken())).exp! * 1000).toBeGreaterThan(Date.now())
    expect(refreshes()).toBe(refreshesBefore + 1)

    // The reload is rendered from the browser's new cookies: the server has nothing to refresh.
    const response = await page.reload()
    await hydrated(page)
    const html = await response!.text()
    expect(html).toContain(`data-testid="username">${alice.username}<`)
    expect(html).toContain(`data-testid="nav-user">${alice.username}<`)
    expect(response!.headers()['set-cookie']).toBeUndefined()
    expect(refreshes()).toBe(refreshesBefore + 1)
    expect(refreshSession.hydrationMessages()).toEqual([])
  })
})
