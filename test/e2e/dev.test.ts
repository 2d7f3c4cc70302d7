import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, inject, it } from 'vitest'
import { fetch, setup, url } from '@nuxt/test-utils/e2e'
import { loadNuxt } from '@nuxt/kit'
import { browserCookies, signIn } from '../backends/cognito.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS } from '../support/fixtures'

const cognito = inject('cognito')
const [alice] = USERS

// `nuxi dev`: the DevTools routes exist only in development; the browser check needs no build either.
await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('dev'),
  dev: true,
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint },
})

const report = async (cookie?: string) => {
  const res = await fetch('/_amplify/devtools.json', { headers: cookie ? { cookie } : {} })
  expect(res.status).toBe(200)
  return { text: await res.clone().text(), body: await res.json() }
}

describe('devtools: session report of the request\'s cookies (dev server)', () => {
  it('shows the user, decoded claims and expiry, cookie sizes and the config, never a raw token', async () => {
    const tokens: Record<'AccessToken' | 'IdToken' | 'RefreshToken', string> = await signIn(cognito, alice.username, alice.password)
    const { text, body } = await report(browserCookies(cognito.userPoolClientId, tokens))

    expect(body.user).toMatchObject({ username: alice.username })
    expect(body.lastAuthUser).toBe(alice.username)
    expect(body.tokens.access).toMatchObject({ status: 'valid', claims: { username: alice.username, token_use: 'access' } })
    expect(body.tokens.id).toMatchObject({ status: 'valid', claims: { 'email': alice.username, 'cognito:username': alice.username } })
    expect(body.tokens.access.expiresAt).toBeGreaterThan(body.now)
    expect(body.tokens.refresh).toEqual({ present: true })
    const names = body.cookies.map((c: { name: string }) => c.name)
    expect(names).toContain(`CognitoIdentityServiceProvider.${cognito.userPoolClientId}.${alice.username}.accessToken`)
    const idCookie = body.cookies.find((c: { name: string }) => c.name.endsWith('.idToken'))
    expect(idCookie.size).toBeGreaterThan(tokens.IdToken.length)
    expect(idCookie.overLimit).toBe(false)
    expect(body.config).toMatchObject({
      userPoolId: cognito.userPoolId,
      userPoolClientId: cognito.userPoolClientId,
      userPoolEndpoint: cognito.endpoint,
      issuer: cognito.issuer,
      jwksUri: `${cognito.issuer}/.well-known/jwks.json`,
    })

    for (const token of [tokens.AccessToken, tokens.IdToken, tokens.RefreshToken]) {
      for (const part of token.split('.').filter(p => p.length > 20)) expect(text).not.toContain(part)
    }
  })

  it('marks a token signed with another key invalid, and the request signed out', async () => {
    const tokens = await signIn(cognito, alice.username, alice.password)
    const [header, payload] = tokens.AccessToken.split('.')
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`
    const { body } = await report(browserCookies(cognito.userPoolClientId, { ...tokens, AccessToken: forged }, alice.username))
    expect(body.tokens.access.status).toBe('invalid')
    expect(body.user).toBeNull()
  })

  it('reports a signed-out request as such', async () => {
    const { body } = await report()
    expect(body).toMatchObject({ user: null, lastAuthUser: null, tokens: { access: { status: 'absent' } }, cookies: [] })
  })

  it('serves the tab\'s page', async () => {
    const res = await fetch('/_amplify/devtools')
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(await res.text()).toContain('fetch(\'devtools.json\'')
  })

  it('serves the tab\'s icon as an image, so that the sidebar shows it offline', async () => {
    const res = await fetch('/_amplify/devtools-icon.svg')
    expect(res.headers.get('content-type')).toContain('image/svg+xml')
    expect(await res.text()).toMatch(/^<svg /)
  })
})

describe('devtools: registration', () => {
  const tabsOf = async (dev: boolean, devtools: boolean) => {
    const nuxt = await loadNuxt({ cwd: fixtureDir('dev'), dev, ready: true, overrides: { devtools: { enabled: devtools }, app: { baseURL: '/base/' } } })
    try {
      const tabs: { name: string, title: string, icon?: string, category?: 'app', view: { type: 'iframe', src: string } }[] = []
      await nuxt.callHook('devtools:customTabs', tabs)
      const routes = nuxt.options.serverHandlers.map(handler => handler.route)
      return { tab: tabs.find(tab => tab.name === 'amplify'), routes }
    }
    finally {
      await nuxt.close()
    }
  }

  it('adds the tab (under the app\'s baseURL) in development with DevTools on', async () => {
    const { tab, routes } = await tabsOf(true, true)
    expect(tab?.view.src).toBe('/base/_amplify/devtools')
    // DevTools draws a name that is not an image URL from Iconify's online service: blank offline.
    expect(tab).toMatchObject({ title: 'Amplify session', category: 'app', icon: '/base/_amplify/devtools-icon.svg' })
    expect(routes).toContain('/_amplify/devtools.json')
    expect(routes).toContain('/_amplify/devtools-icon.svg')
  })

  it('adds nothing in production or with DevTools off', async () => {
    for (const [dev, devtools] of [[false, true], [true, false]]) {
      const { tab, routes } = await tabsOf(dev, devtools)
      expect(tab).toBeUndefined()
      expect(routes.filter(route => route?.startsWith('/_amplify'))).toEqual([])
    }
  })
})

// Headless Chromium (Debian's `chromium`, installed by .ci/run) runs the page's client code.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

describe('friendly failures in the browser', () => {
  it('useAmplifyServerContext() in the browser throws an error that names useAmplify()', async () => {
    const { stdout } = await promisify(execFile)(chromium, [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--virtual-time-budget=10000',
      '--dump-dom',
      url('/client-context'),
    ], { timeout: 60_000 })
    const thrown = stdout.match(/data-testid="thrown">([^<]*)</)?.[1].trim()
    expect(thrown).toBe('[nuxt-amplify-ssr] useAmplifyServerContext() works on the server only. For code that runs in the browser too, use useAmplify() instead.')
  })
})
