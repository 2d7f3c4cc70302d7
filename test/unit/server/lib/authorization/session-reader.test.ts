// The session read from a verified session's tokens: what is shared between the requests of one session (groups,
// claims) cannot be changed by one of them, and the app's `amplify:session` hooks run only when there are some.
import { createHooks } from 'hookable'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AmplifyServerSettings } from '../../../../../src/runtime/server/lib/amplify/server-settings'
import { useAmplifySessionReader } from '../../../../../src/runtime/server/lib/authorization/session-reader'
import type { AmplifySession } from '../../../../../src/runtime/types'
import { eventWith, localPoolSettings, sessionCookieHeader, startLocalPool } from '../../../../support/unit'
import type { LocalPool } from '../../../../support/unit'

const settings = vi.hoisted(() => ({ current: undefined as AmplifyServerSettings | undefined }))
vi.mock('../../../../../src/runtime/server/lib/amplify/server-settings', () => ({ useAmplifyServerSettings: () => settings.current! }))
vi.mock('../../../../../src/runtime/server/lib/session/session-store', () => ({ useSessionStore: () => null }))
const nitro = vi.hoisted(() => ({ hooks: undefined as unknown }))
vi.mock('nitropack/runtime', () => ({ useRuntimeConfig: () => ({}), useNitroApp: () => nitro }))

type Hooks = ReturnType<typeof createHooks<{ 'amplify:session': (session: AmplifySession) => void }>>
let pool: LocalPool
let cookie: string
beforeAll(async () => {
  pool = await startLocalPool()
  settings.current = localPoolSettings(pool, { cacheControl: '' })
  const idToken = await pool.idToken('alice', '1h', { 'cognito:groups': ['staff'], 'address': { country: 'NZ' } })
  // The access token's groups, as Cognito writes them; the id token's claims beside them.
  const accessToken = await pool.accessToken('alice')
  cookie = sessionCookieHeader(pool.clientId, 'alice', { accessToken, idToken })
})
afterAll(() => pool.close())

const read = (header: string) => useAmplifySessionReader(eventWith(header)).get()

describe('the session reader', () => {
  it('gives every request of a session the same claims, which no request can change for the next', async () => {
    nitro.hooks = createHooks()
    const first = (await read(cookie))!
    expect(first.claims).toMatchObject({ 'sub': 'alice', 'cognito:groups': ['staff'], 'address': { country: 'NZ' } })
    expect(() => (first.claims.email = 'mallory@example.com')).toThrow(TypeError)
    expect(() => (first.claims['cognito:groups'] as string[]).push('admin')).toThrow(TypeError)
    expect(() => (first.claims.address as { country: string }).country = 'AU').toThrow(TypeError)
    expect(() => first.groups.push('admin')).toThrow(TypeError)
    const second = (await read(cookie))!
    expect(second.claims).toMatchObject({ 'cognito:groups': ['staff'], 'address': { country: 'NZ' } })
    expect(second.claims.email).toBeUndefined()
    expect(second.groups).toEqual([])
    // The part that is the request's own is its own.
    expect(second).not.toBe(first)
    expect(second.data).not.toBe(first.data)
  })

  it('answers without waiting once the session\'s tokens were verified, and with a promise until then', async () => {
    nitro.hooks = createHooks()
    const other = sessionCookieHeader(pool.clientId, 'bob', { accessToken: await pool.accessToken('bob'), idToken: await pool.idToken('bob') })
    const first = useAmplifySessionReader(eventWith(other))
    expect(first.now()).toBeUndefined()
    expect((await first.get())?.user.userId).toBe('bob')
    // The same request's later reads, and the next request of the session: known at once.
    expect(first.now()?.user.userId).toBe('bob')
    const next = useAmplifySessionReader(eventWith(other))
    expect(next.now()?.user.userId).toBe('bob')
    expect(await next.get()).toBe(next.now())
    // Signed out is an answer too.
    expect(useAmplifySessionReader(eventWith('')).now()).toBeNull()
  })

  it('runs the app\'s hook once per request when there is one, and lets it enrich the data of that request only', async () => {
    const hooks: Hooks = createHooks()
    nitro.hooks = hooks
    const seen: AmplifySession[] = []
    hooks.hook('amplify:session', (session) => {
      seen.push(session)
      ;(session.data as Record<string, unknown>).role = `member-${seen.length}`
    })
    const reader = useAmplifySessionReader(eventWith(cookie))
    const [a, b] = await Promise.all([reader.get(), reader.get()])
    expect(a).toBe(b)
    expect(seen).toHaveLength(1)
    expect((await read(cookie))!.data).toEqual({ role: 'member-2' })
  })

  it('calls the hooks whatever hookable keeps inside, when it cannot tell whether there are any', async () => {
    const callHook = vi.fn(async (..._args: unknown[]) => {})
    nitro.hooks = { callHook }
    await read(cookie)
    expect(callHook).toHaveBeenCalledOnce()
    expect(callHook.mock.calls[0]![0]).toBe('amplify:session')
  })

  it('skips the call when no hook listens', async () => {
    const hooks: Hooks = createHooks()
    const callHook = vi.spyOn(hooks, 'callHook')
    nitro.hooks = hooks
    expect((await read(cookie))?.user.userId).toBe('alice')
    expect(callHook).not.toHaveBeenCalled()
    // An observer of every hook (hookable's beforeEach, as devtools use) still sees the call.
    const observed: string[] = []
    hooks.beforeEach(event => void observed.push(event.name))
    await read(cookie)
    expect(callHook).toHaveBeenCalledOnce()
    expect(observed).toEqual(['amplify:session'])
  })
})
