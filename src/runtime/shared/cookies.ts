import type { CookieRuntimeConfig } from './config'

// Amplify's cookie-key layout (its `createKeysForAuthStorage`, not exported), in one place for the server, the
// DevTools report and the tests: `<prefix>LastAuthUser` names the user, `<prefix><username>.<key>` holds the session.

/** Amplify's user-pool cookies of one app client: `<prefix>LastAuthUser`, `<prefix><username>.accessToken`… */
export const userPoolCookiePrefix = (clientId: string) => `CognitoIdentityServiceProvider.${clientId}.`

/** The cookie that names the signed-in user of an app client. */
export const lastAuthUserCookie = (clientId: string) => `${userPoolCookiePrefix(clientId)}LastAuthUser`

/** What Amplify keeps of a user's session, each in a cookie `<prefix><username>.<key>`. */
export type SessionCookieKey = 'accessToken' | 'idToken' | 'refreshToken' | 'clockDrift' | 'signInDetails'

/** The stem of a user's session cookies, `<prefix><username>.`: append a `SessionCookieKey`. */
export const sessionCookieStem = (clientId: string, username: string) => `${userPoolCookiePrefix(clientId)}${username}.`

const SESSION_COOKIE_KEYS = new Set<string>(['accessToken', 'idToken', 'refreshToken', 'clockDrift', 'signInDetails'])

/** The `SessionCookieKey` a cookie name ends with, if any. */
export function sessionCookieKey(name: string): SessionCookieKey | undefined {
  const key = name.slice(name.lastIndexOf('.') + 1)
  return SESSION_COOKIE_KEYS.has(key) ? key as SessionCookieKey : undefined
}

/**
 * Browsers drop a cookie whose name and value together exceed this many bytes, silently: the session would just
 * vanish. So a longer "token" never came from a real session either.
 */
export const BROWSER_COOKIE_LIMIT = 4096

/** Amplify's guest identity cookies, one per identity pool: `com.amplify.Cognito.<identityPoolId>.identityId`. */
export const IDENTITY_COOKIE_PREFIX = 'com.amplify.Cognito.'
export const guestIdentityCookie = (identityPoolId: string) => `${IDENTITY_COOKIE_PREFIX}${identityPoolId}.identityId`

/** Plain-HTTP development hosts, where a `Secure` cookie would be dropped by some browsers. */
export function isLoopbackHost(hostname: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(hostname) || hostname.endsWith('.localhost')
}

/** The `Secure` attribute: as configured, else on everywhere but plain HTTP on a loopback host. */
export function isSecureCookie(options: CookieRuntimeConfig, protocol: string, hostname: string): boolean {
  return options.secure ?? !(protocol === 'http:' && isLoopbackHost(hostname))
}

/**
 * Encodes a cookie name the way js-cookie (Amplify's browser cookie storage) does, so that the server writes
 * the names the browser reads back: an email username's `@` becomes `%40`.
 */
export function encodeCookieName(name: string): string {
  return encodeURIComponent(name)
    .replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent)
    .replace(/[()]/g, escape)
}

/** The inverse of `encodeCookieName`; names that are not valid percent-encoding are returned as they are. */
export function decodeCookieName(name: string): string {
  try {
    return decodeURIComponent(name)
  }
  catch {
    return name
  }
}
