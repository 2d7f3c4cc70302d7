import { createStorage } from 'unstorage'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AmplifyServerSettings } from '../../../../../src/runtime/server/lib/amplify/server-settings'
import { createAmplifyRequestContext, useAmplifyRequestContext } from '../../../../../src/runtime/server/lib/amplify/request-context'
import type { SessionStore } from '../../../../../src/runtime/server/lib/session/session-store'
import type { SessionStorage } from '../../../../../src/runtime/server/lib/session/stored-cookie-jar'
import { lastAuthUserCookie, sessionCookieStem } from '../../../../../src/runtime/shared/cookies'
import { eventWith, localPoolSettings, sessionCookieHeader, setCookieHeaders, startLocalPool } from '../../../../support/unit'
import type { LocalPool } from '../../../../support/unit'

// The settings come from Nitro's runtime config in an app; here, from a local pool.
const settings = vi.hoisted(() => ({ current: undefined as AmplifyServerSettings | undefined }))
vi.mock('../../../../../src/runtime/server/lib/amplify/server-settings', () => ({ useAmplifyServerSettings: () => settings.current! }))
// `serverAuth.store`: cookies unless a test puts a store here.
const sessionStore = vi.hoisted(() => ({ current: null as SessionStore | null }))
vi.mock('../../../../../src/runtime/server/lib/session/session-store', () => ({ useSessionStore: () => sessionStore.current }))

let pool: LocalPool
beforeAll(async () => {
  pool = await startLocalPool()
  settings.current = localPoolSettings(pool)
})
afterAll(() => pool.close())

const signedIn = async (sub: string) =>
  sessionCookieHeader(pool.clientId, sub, { accessToken: await pool.accessToken(sub), idToken: await pool.idToken(sub) })

describe('the request context', () => {
  it('reads the user once per request and keeps the response out of shared caches', async () => {
    const event = eventWith(await signedIn('alice'))
    const context = createAmplifyRequestContext(event)
    const user = context.user()
    expect(context.user()).toBe(user)
    expect(await user).toEqual({ username: 'alice-name', userId: 'alice' })
    expect(event.node.res.getHeader('cache-control')).toBe('private, no-store')
  })

  it('reads a request without a session as signed out, leaving its headers alone', async () => {
    const event = eventWith('theme=dark')
    expect(await createAmplifyRequestContext(event).user()).toBeNull()
    expect(event.node.res.getHeader('cache-control')).toBeUndefined()
    expect(setCookieHeaders(event)).toEqual([])
  })

  it('signs out a forged session through Amplify and deletes its cookies', async () => {
    const forged = (await pool.accessToken('mallory')).replace(/\.[^.]+$/, `.${'A'.repeat(342)}`)
    const event = eventWith(sessionCookieHeader(pool.clientId, 'mallory', { accessToken: forged, idToken: await pool.idToken('mallory') }))
    expect(await createAmplifyRequestContext(event).user()).toBeNull()
    const deleted = setCookieHeaders(event).filter(header => /Max-Age=0/i.test(header))
    expect(deleted.map(header => decodeURIComponent(header.slice(0, header.indexOf('='))))).toEqual([
      `CognitoIdentityServiceProvider.${pool.clientId}.LastAuthUser`,
      `CognitoIdentityServiceProvider.${pool.clientId}.mallory.accessToken`,
      `CognitoIdentityServiceProvider.${pool.clientId}.mallory.idToken`,
    ])
  })

  it('shares one cookie jar across the request: a write is what later reads see', async () => {
    const context = createAmplifyRequestContext(eventWith(''))
    expect(context.cookies()).toBe(context.cookies())
    context.cookies().set('k', 'v')
    expect(context.cookies().get('k')?.value).toBe('v')
  })

  it('renders for a shared cache with nobody\'s session, reading and writing no cookie', async () => {
    const event = eventWith(await signedIn('alice'))
    event.context.cache = {}
    const context = createAmplifyRequestContext(event)
    expect(await context.user()).toBeNull()
    expect(context.cookies().getAll()).toEqual([])
    context.cookies().set('k', 'v')
    expect(setCookieHeaders(event)).toEqual([])
  })

  it('is made once per event', () => {
    const event = eventWith('')
    expect(useAmplifyRequestContext(event)).toBe(useAmplifyRequestContext(event))
    expect(event.context.amplify).toBe(useAmplifyRequestContext(event))
  })
})

describe('the request context over the session store', () => {
  afterEach(() => {
    sessionStore.current = null
  })

  /** A store holding alice's session, and the Cookie header of its id. */
  async function storedSession(): Promise<string> {
    sessionStore.current = { storage: createStorage() as unknown as SessionStorage, maxAge: 3600 }
    const event = eventWith('')
    const context = createAmplifyRequestContext(event)
    const jar = await context.session()
    const stem = sessionCookieStem(pool.clientId, 'alice')
    jar.set(lastAuthUserCookie(pool.clientId), 'alice')
    jar.set(`${stem}accessToken`, await pool.accessToken('alice'))
    jar.set(`${stem}idToken`, await pool.idToken('alice'))
    await context.saveSession({ rotate: true })
    const [line] = setCookieHeaders(event)
    return line!.slice(0, line!.indexOf(';'))
  }

  it('reads the user from the record the id names, writing no cookie', async () => {
    const event = eventWith(await storedSession())
    const context = createAmplifyRequestContext(event)
    expect(await context.user()).toMatchObject({ userId: 'alice' })
    expect(setCookieHeaders(event)).toEqual([])
  })

  it('answers 503 and keeps the id when the store cannot be reached', async () => {
    const cookie = await storedSession()
    const storage = sessionStore.current!.storage
    sessionStore.current = { ...sessionStore.current!, storage: { ...storage, getItem: () => Promise.reject(new Error('down')) } }
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const event = eventWith(cookie)
    await expect(createAmplifyRequestContext(event).user()).rejects.toMatchObject({ statusCode: 503 })
    expect(setCookieHeaders(event)).toEqual([])
    warn.mockRestore()
  })
})
