import { encodeCookieName, lastAuthUserCookie, sessionCookieStem, userPoolCookiePrefix } from '../../../shared/cookies'
import type { SessionCookieKey } from '../../../shared/cookies'
import { memoize } from '../cache/memoize'

/** A cookie's name as Amplify keys it, and as the browser writes it in the Cookie header. */
export interface CookieName {
  name: string
  encoded: string
}

/** One user's session cookie names, under `<prefix><username>.`. */
export type UserCookieNames = { stem: string, encodedStem: string } & Record<SessionCookieKey, CookieName>

const KEYS: SessionCookieKey[] = ['accessToken', 'idToken', 'refreshToken', 'clockDrift', 'signInDetails']

/**
 * An app client's session cookie names, spelled once rather than on every request: the same strings come back, so
 * neither their concatenation nor their encoding is redone, and the strings keep their hashes for the caches.
 */
export const sessionCookieNames = memoize((clientId: string) => {
  const prefix = userPoolCookiePrefix(clientId)
  const encodedPrefix = encodeCookieName(prefix)
  const lastAuthUser = lastAuthUserCookie(clientId)
  return {
    prefix,
    encodedPrefix,
    lastAuthUser: { name: lastAuthUser, encoded: encodeCookieName(lastAuthUser) } satisfies CookieName,
    // Bounded like every cache here: the usernames come from requests.
    ofUser: memoize((username: string): UserCookieNames => {
      const stem = sessionCookieStem(clientId, username)
      const encodedStem = `${encodedPrefix}${encodeCookieName(username)}.`
      const names = Object.fromEntries(KEYS.map(key => [key, { name: stem + key, encoded: encodedStem + key }]))
      return { stem, encodedStem, ...names } as UserCookieNames
    }),
  }
})
