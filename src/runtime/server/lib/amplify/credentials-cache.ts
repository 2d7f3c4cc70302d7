import type { CredentialsAndIdentityId, CredentialsAndIdentityIdProvider, GetCredentialsOptions } from 'aws-amplify/auth'
import { guestIdentityCookie } from '../../../shared/cookies'
import { BoundedMap } from '../cache/bounded-map'
import type { CookieJar } from '../session/cookie-jar'

// Cognito's credentials last an hour; Amplify itself renews them 5 minutes early.
const RENEW_BEFORE_MS = 5 * 60_000
const MAX_IDENTITIES = 1_000

type Entry = Promise<CredentialsAndIdentityId | undefined>

/**
 * Identity-pool credentials by identity, shared across requests (the official adapter fetches them on every one).
 * A fetch in flight is shared too: ten concurrent first requests of one user make one call, not ten.
 */
const cache = new BoundedMap<string, Entry>(MAX_IDENTITIES)

function remember(key: string, entry: Entry) {
  cache.set(key, entry)
  // A failed fetch is not remembered: the next request tries again.
  entry.catch(() => cache.get(key) === entry && cache.delete(key))
}

function fresh(value: CredentialsAndIdentityId | undefined) {
  const expiration = value?.credentials.expiration?.getTime()
  return expiration !== undefined && expiration - RENEW_BEFORE_MS > Date.now() ? value : undefined
}

/**
 * Wraps Amplify's per-request credentials provider with a cache keyed by who the credentials are for: the user
 * (`sub` of the verified id token) or the guest (the identity id from the guest cookie). Never keyed by anything a
 * request could share with another identity; no key, no caching.
 */
export function withCredentialsCache(
  provider: CredentialsAndIdentityIdProvider,
  jar: CookieJar,
  identityPoolId: string,
): CredentialsAndIdentityIdProvider {
  const keyFor = (options: GetCredentialsOptions): string | undefined => {
    if (options.authenticated) {
      const sub = options.tokens.idToken?.payload.sub
      return sub ? `${identityPoolId}|user|${sub}` : undefined
    }
    const identityId = jar.get(guestIdentityCookie(identityPoolId))?.value
    return identityId ? `${identityPoolId}|guest|${identityId}` : undefined
  }
  return {
    async getCredentialsAndIdentityId(options) {
      const key = keyFor(options)
      // No await between looking up and remembering a fetch: concurrent first requests must find it in flight.
      const known = key && !options.forceRefresh ? cache.get(key) : undefined
      if (known) {
        const cached = fresh(await known.catch(() => undefined))
        if (cached) return cached
      }
      const request = provider.getCredentialsAndIdentityId(options)
      if (key) remember(key, request)
      const result = await request
      // A new guest has its identity id only now (Amplify has just written it to the guest cookie).
      if (!key && !options.authenticated && result?.identityId) remember(`${identityPoolId}|guest|${result.identityId}`, request)
      return result
    },
    clearCredentialsAndIdentityId() {
      provider.clearCredentialsAndIdentityId()
    },
  }
}
