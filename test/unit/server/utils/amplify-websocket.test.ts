// The server utils given a WebSocket's upgrade request or peer instead of an h3 event: the same session, read from the
// handshake's cookies; refusals that crossws can answer (a `Response` on the error); a refresh's cookies for the 101.
import { isError } from 'h3'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AmplifyServerSettings } from '../../../../src/runtime/server/lib/amplify/server-settings'
import type { AmplifyPeer, AmplifyUpgradeRequest } from '../../../../src/runtime/server/lib/http/websocket-event'
import { getAmplifySession, getAmplifyUser, requireAmplifyUser } from '../../../../src/runtime/server/utils/amplify'
import { amplifyUpgradeHeaders } from '../../../../src/runtime/server/utils/amplify-websocket'
import { eventWith, localPoolSettings, sessionCookieHeader, startLocalPool } from '../../../support/unit'
import type { LocalPool } from '../../../support/unit'

const settings = vi.hoisted(() => ({ current: undefined as AmplifyServerSettings | undefined }))
vi.mock('../../../../src/runtime/server/lib/amplify/server-settings', () => ({ useAmplifyServerSettings: () => settings.current! }))
vi.mock('../../../../src/runtime/server/lib/session/session-store', () => ({ useSessionStore: () => null }))
// As hookable's callHook: a promise, whatever the hooks return.
const sessionHook = vi.hoisted(() => vi.fn(async (..._args: unknown[]) => {}))
vi.mock('nitropack/runtime', () => ({
  useRuntimeConfig: () => ({}),
  useNitroApp: () => ({ hooks: { callHook: sessionHook } }),
}))

let pool: LocalPool
const settingsFor = (jwksUri: string) => localPoolSettings(pool, { jwksUri })
beforeAll(async () => {
  pool = await startLocalPool()
  settings.current = settingsFor(`${pool.issuer}/.well-known/jwks.json`)
})
afterAll(() => pool.close())

const signedIn = async (sub: string) =>
  sessionCookieHeader(pool.clientId, sub, { accessToken: await pool.accessToken(sub), idToken: await pool.idToken(sub) })

const upgrade = (cookie?: string): AmplifyUpgradeRequest & { context: Record<string, unknown> } =>
  ({ url: 'http://app.example.com/_ws', headers: new Headers({ host: 'app.example.com', ...(cookie && { cookie }) }), context: {} })
const peerOf = (request: ReturnType<typeof upgrade>): AmplifyPeer =>
  ({ request: { url: request.url, headers: request.headers }, context: request.context })

/** What `requireAmplifyUser` threw, which must be both an h3 error and answerable by crossws. */
async function refusalOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (thrown: unknown) => thrown) as { statusCode: number, response?: Response } | undefined
  expect(error).toBeDefined()
  expect(isError(error)).toBe(true)
  return error!
}

describe('server utils on a WebSocket', () => {
  it('read the user of the upgrade request, and of its peer afterwards', async () => {
    const request = upgrade(await signedIn('alice'))
    expect(await getAmplifyUser(request)).toEqual({ username: 'alice-name', userId: 'alice' })
    expect(await requireAmplifyUser(peerOf(request))).toEqual({ username: 'alice-name', userId: 'alice' })
    expect(amplifyUpgradeHeaders(request).getSetCookie()).toEqual([])
  })

  it('run the app\'s session hook with the socket\'s event, which names the socket\'s context', async () => {
    sessionHook.mockClear()
    const request = upgrade(await signedIn('alice'))
    await getAmplifySession(request)
    expect(sessionHook).toHaveBeenCalledOnce()
    expect((sessionHook.mock.calls[0]![2] as { context: Record<string, unknown> }).context.socket).toBe(request.context)
  })

  it('refuse a signed-out handshake with a 401 Response, and a user outside the groups with a 403', async () => {
    const signedOut = await refusalOf(requireAmplifyUser(upgrade()))
    expect(signedOut.response?.status).toBe(401)
    expect(await signedOut.response?.json()).toMatchObject({ statusCode: 401, data: { error: 'Authentication required' } })
    const outsider = await refusalOf(requireAmplifyUser(upgrade(await signedIn('bob')), { groups: ['staff'] }))
    expect(outsider.response?.status).toBe(403)
    expect(await outsider.response?.json()).toMatchObject({ statusCode: 403, data: { error: 'Forbidden' } })
  })

  it('refuse a forged session with 401, and give its cookies\' deletion to a socket that lets the user in signed out', async () => {
    const forged = (await pool.accessToken('mallory')).replace(/\.[^.]+$/, `.${'A'.repeat(342)}`)
    const cookie = sessionCookieHeader(pool.clientId, 'mallory', { accessToken: forged, idToken: await pool.idToken('mallory') })
    expect((await refusalOf(requireAmplifyUser(upgrade(cookie)))).response?.status).toBe(401)
    const request = upgrade(cookie)
    expect(await getAmplifyUser(request)).toBeNull()
    const deleted = amplifyUpgradeHeaders(request).getSetCookie()
    expect(deleted.length).toBe(3)
    for (const line of deleted) expect(line).toMatch(/Max-Age=0/)
  })

  it('answer 503 when the session cannot be decided (the signing keys unreachable)', async () => {
    const reachable = settings.current
    settings.current = settingsFor('http://127.0.0.1:9/jwks.json')
    try {
      const error = await refusalOf(requireAmplifyUser(upgrade(await signedIn('dave'))))
      expect(error.statusCode).toBe(503)
      expect(error.response?.status).toBe(503)
    }
    finally {
      settings.current = reachable
    }
  })

  it('throw plain h3 errors for an h3 event, as before', async () => {
    const error = await refusalOf(requireAmplifyUser(eventWith('')))
    expect(error.statusCode).toBe(401)
    expect(error.response).toBeUndefined()
  })
})
