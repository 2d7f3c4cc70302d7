import { afterEach, describe, expect, it, vi } from 'vitest'
import { forgetSharedRefresh, singleFlightRefresh } from '../../../../../src/runtime/server/lib/session/single-flight-refresh'
import type { TokenRefresher } from '../../../../../src/runtime/server/lib/session/single-flight-refresh'

type Input = Parameters<TokenRefresher>[0]
type Output = Awaited<ReturnType<TokenRefresher>>

const authConfig = { Cognito: { userPoolId: 'local_pool', userPoolClientId: 'client1' } }
let counter = 0

function inputOf(refreshToken: string, username = 'alice', clientId = 'client1'): Input {
  const jwt = { payload: { username, exp: 0 }, toString: () => `old-${username}` }
  return {
    tokens: { accessToken: jwt, idToken: jwt, refreshToken, clockDrift: 0, username },
    authConfig: { Cognito: { ...authConfig.Cognito, userPoolClientId: clientId } },
    username,
  }
}

/** A refresher that answers each call with new tokens named after the refresh token, once `release()` is called. */
function deferredRefresher() {
  const calls: Input[] = []
  const pending: (() => void)[] = []
  let failWith: Error | undefined
  const refresh: TokenRefresher = input => new Promise<Output>((resolve, reject) => {
    calls.push(input)
    const n = ++counter
    pending.push(() => {
      if (failWith) return reject(failWith)
      const token = `${input.tokens.refreshToken}#${n}`
      const jwt = { payload: { username: input.username, token }, toString: () => token }
      resolve({ accessToken: jwt, idToken: { ...jwt }, refreshToken: input.tokens.refreshToken, username: input.username, clockDrift: 0 })
    })
  })
  return {
    refresh: vi.fn(refresh),
    calls,
    release: () => pending.splice(0).forEach(settle => settle()),
    fail: (error: Error) => (failWith = error),
  }
}

const flush = () => new Promise(resolve => setTimeout(resolve, 0))

afterEach(() => {
  vi.useRealTimers()
})

describe('singleFlightRefresh', () => {
  it('makes one call for concurrent refreshes of one session, and gives each caller its own copy of the same tokens', async () => {
    const backend = deferredRefresher()
    const refresh = singleFlightRefresh(backend.refresh)
    const results = Array.from({ length: 50 }, () => refresh(inputOf('rt-burst')))
    await flush()
    backend.release()
    const tokens = await Promise.all(results)
    expect(backend.calls).toHaveLength(1)
    expect(new Set(tokens.map(t => t.accessToken.toString())).size).toBe(1)
    // Amplify sets the request's signInDetails on the result: one caller's must not reach another's.
    tokens[0]!.signInDetails = { loginId: 'first' }
    tokens[0]!.accessToken.payload.mutated = true
    expect(tokens[1]!.signInDetails).toBeUndefined()
    expect(tokens[1]!.accessToken.payload.mutated).toBeUndefined()
    forgetSharedRefresh('rt-burst')
  })

  it('never shares between two refresh tokens: two sessions racing each get their own tokens', async () => {
    const backend = deferredRefresher()
    const refresh = singleFlightRefresh(backend.refresh)
    const alice = Array.from({ length: 10 }, () => refresh(inputOf('rt-alice', 'alice')))
    const bob = Array.from({ length: 10 }, () => refresh(inputOf('rt-bob', 'bob')))
    await flush()
    backend.release()
    const [a, b] = [await Promise.all(alice), await Promise.all(bob)]
    expect(backend.calls.map(c => c.tokens.refreshToken).sort()).toEqual(['rt-alice', 'rt-bob'])
    expect(a.every(t => t.accessToken.toString().startsWith('rt-alice#') && t.username === 'alice')).toBe(true)
    expect(b.every(t => t.accessToken.toString().startsWith('rt-bob#') && t.username === 'bob')).toBe(true)
    forgetSharedRefresh('rt-alice')
    forgetSharedRefresh('rt-bob')
  })

  it('does not share a refresh token presented with another user or client', async () => {
    const backend = deferredRefresher()
    const refresh = singleFlightRefresh(backend.refresh)
    const own = refresh(inputOf('rt-shared-secret', 'alice'))
    const otherUser = refresh(inputOf('rt-shared-secret', 'mallory'))
    const otherClient = refresh(inputOf('rt-shared-secret', 'alice', 'client2'))
    await flush()
    backend.release()
    const [a, m, c] = await Promise.all([own, otherUser, otherClient])
    expect(backend.calls).toHaveLength(3)
    expect(new Set([a, m, c].map(t => t.accessToken.toString())).size).toBe(3)
    expect(m.username).toBe('mallory')
    forgetSharedRefresh('rt-shared-secret')
  })

  it('fails every waiter with the same error, and forgets the failure at once', async () => {
    const backend = deferredRefresher()
    const refresh = singleFlightRefresh(backend.refresh)
    const error = Object.assign(new Error('refresh token revoked'), { name: 'NotAuthorizedException' })
    backend.fail(error)
    const results = Array.from({ length: 5 }, () => refresh(inputOf('rt-failing')).catch(e => e))
    await flush()
    backend.release()
    expect(await Promise.all(results)).toEqual(Array.from({ length: 5 }, () => error))
    expect(backend.calls).toHaveLength(1)
    const retry = refresh(inputOf('rt-failing'))
    await flush()
    backend.release()
    await expect(retry).rejects.toBe(error)
    expect(backend.calls).toHaveLength(2)
  })

  it('keeps a settled refresh for stragglers for a few seconds only', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const backend = deferredRefresher()
    const refresh = singleFlightRefresh(backend.refresh)
    const first = refresh(inputOf('rt-straggler'))
    await vi.advanceTimersByTimeAsync(0)
    backend.release()
    const tokens = await first
    await vi.advanceTimersByTimeAsync(4_000)
    expect((await refresh(inputOf('rt-straggler'))).accessToken.toString()).toBe(tokens.accessToken.toString())
    expect(backend.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1_500)
    const later = refresh(inputOf('rt-straggler'))
    await vi.advanceTimersByTimeAsync(0)
    backend.release()
    expect((await later).accessToken.toString()).not.toBe(tokens.accessToken.toString())
    expect(backend.calls).toHaveLength(2)
    forgetSharedRefresh('rt-straggler')
  })

  it('hands nothing to a copy of the old cookies once the session signed out', async () => {
    const backend = deferredRefresher()
    const refresh = singleFlightRefresh(backend.refresh)
    const first = refresh(inputOf('rt-signed-out'))
    await flush()
    backend.release()
    await first
    forgetSharedRefresh('rt-signed-out')
    const again = refresh(inputOf('rt-signed-out'))
    await flush()
    backend.release()
    await again
    expect(backend.calls).toHaveLength(2)
    forgetSharedRefresh('rt-signed-out')
  })
})
