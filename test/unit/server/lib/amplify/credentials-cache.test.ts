import { describe, expect, it, vi } from 'vitest'
import type { CredentialsAndIdentityId, CredentialsAndIdentityIdProvider, GetCredentialsOptions } from 'aws-amplify/auth'
import { withCredentialsCache } from '../../../../../src/runtime/server/lib/amplify/credentials-cache'
import { createCookieJar } from '../../../../../src/runtime/server/lib/session/cookie-jar'
import { guestIdentityCookie } from '../../../../../src/runtime/shared/cookies'
import { eventWith } from '../../../../support/unit'

// The cache is process-wide: each test uses identity pools of its own.
let pools = 0
const newPool = () => `us-east-1:pool-${++pools}`

/** Amplify's provider, stubbed: a fresh set of credentials per call, valid for `lifetimeMs`. */
function stubProvider(lifetimeMs = 3_600_000) {
  let calls = 0
  const provider = {
    getCredentialsAndIdentityId: vi.fn(async (options: GetCredentialsOptions): Promise<CredentialsAndIdentityId> => {
      calls++
      await new Promise(resolve => setTimeout(resolve, 5))
      const identityId = options.authenticated ? `id-of-${options.tokens.idToken?.payload.sub}` : 'guest-new'
      const expiration = new Date(Date.now() + lifetimeMs)
      return { identityId, credentials: { accessKeyId: `key-${calls}`, secretAccessKey: 's', expiration } }
    }),
    clearCredentialsAndIdentityId: vi.fn(),
  } satisfies CredentialsAndIdentityIdProvider
  return provider
}

const jar = (cookie = '') => createCookieJar(eventWith(cookie), { path: '/', sameSite: 'lax' })
const user = (sub: string, forceRefresh = false) =>
  ({ authenticated: true, forceRefresh, tokens: { idToken: { payload: { sub } } } }) as unknown as GetCredentialsOptions
const guest = { authenticated: false } as unknown as GetCredentialsOptions

describe('withCredentialsCache', () => {
  it('fetches a user\'s credentials once across requests, and once for concurrent first requests', async () => {
    const pool = newPool()
    const provider = stubProvider()
    const requests = Array.from({ length: 5 }, () => withCredentialsCache(provider, jar(), pool))
    const first = await Promise.all(requests.map(cache => cache.getCredentialsAndIdentityId(user('sub-1'))))
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(1)
    expect(new Set(first.map(result => result?.credentials.accessKeyId))).toEqual(new Set(['key-1']))
    const later = await withCredentialsCache(provider, jar(), pool).getCredentialsAndIdentityId(user('sub-1'))
    expect(later?.credentials.accessKeyId).toBe('key-1')
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(1)
  })

  it('never hands one identity\'s credentials to another', async () => {
    const pool = newPool()
    const provider = stubProvider()
    const cache = withCredentialsCache(provider, jar(), pool)
    const alice = await cache.getCredentialsAndIdentityId(user('alice'))
    const bob = await cache.getCredentialsAndIdentityId(user('bob'))
    expect(alice?.identityId).toBe('id-of-alice')
    expect(bob?.identityId).toBe('id-of-bob')
    // Another identity pool is another identity, even for the same user.
    const elsewhere = await withCredentialsCache(provider, jar(), newPool()).getCredentialsAndIdentityId(user('alice'))
    expect(elsewhere?.credentials.accessKeyId).not.toBe(alice?.credentials.accessKeyId)
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(3)
  })

  it('keys guests by their identity cookie, and a new guest by the identity it was just given', async () => {
    const pool = newPool()
    const provider = stubProvider()
    const known = jar(`${encodeURIComponent(guestIdentityCookie(pool))}=guest-1`)
    await withCredentialsCache(provider, known, pool).getCredentialsAndIdentityId(guest)
    await withCredentialsCache(provider, known, pool).getCredentialsAndIdentityId(guest)
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(1)
    // Without the cookie nothing can be looked up; the new identity is remembered for its next request.
    await withCredentialsCache(provider, jar(), pool).getCredentialsAndIdentityId(guest)
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(2)
    const returning = jar(`${encodeURIComponent(guestIdentityCookie(pool))}=guest-new`)
    await withCredentialsCache(provider, returning, pool).getCredentialsAndIdentityId(guest)
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(2)
  })

  it('fetches again when the credentials expire within 5 minutes, when asked to, and after a failure', async () => {
    const pool = newPool()
    const shortLived = stubProvider(4 * 60_000)
    await withCredentialsCache(shortLived, jar(), pool).getCredentialsAndIdentityId(user('sub-1'))
    await withCredentialsCache(shortLived, jar(), pool).getCredentialsAndIdentityId(user('sub-1'))
    expect(shortLived.getCredentialsAndIdentityId).toHaveBeenCalledTimes(2)

    const provider = stubProvider()
    const cache = withCredentialsCache(provider, jar(), pool)
    await cache.getCredentialsAndIdentityId(user('sub-2'))
    await cache.getCredentialsAndIdentityId(user('sub-2', true))
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(2)

    provider.getCredentialsAndIdentityId.mockRejectedValueOnce(Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' }))
    await expect(cache.getCredentialsAndIdentityId(user('sub-3'))).rejects.toThrow('throttled')
    expect((await cache.getCredentialsAndIdentityId(user('sub-3')))?.identityId).toBe('id-of-sub-3')
    expect(provider.getCredentialsAndIdentityId).toHaveBeenCalledTimes(4)
  })

  it('clears through to Amplify\'s provider', () => {
    const provider = stubProvider()
    withCredentialsCache(provider, jar(), newPool()).clearCredentialsAndIdentityId()
    expect(provider.clearCredentialsAndIdentityId).toHaveBeenCalledOnce()
  })
})
