import { IDENTITY_COOKIE_PREFIX, lastAuthUserCookie, sessionCookieStem, userPoolCookiePrefix } from '../../../shared/cookies'
import type { CookieJar } from './cookie-jar'

/** Deletes every auth cookie of this app client (any user) and the guest identity; returns the refresh token it held. */
export function clearSession(jar: CookieJar, clientId: string): string | undefined {
  const username = jar.get(lastAuthUserCookie(clientId))?.value
  const refreshToken = username ? jar.get(`${sessionCookieStem(clientId, username)}refreshToken`)?.value : undefined
  jar.deleteMatching(userPoolCookiePrefix(clientId))
  jar.deleteMatching(IDENTITY_COOKIE_PREFIX)
  return refreshToken || undefined
}
