import type { CookieRuntimeConfig } from './config'

/** Amplify's user-pool cookies of one app client: `<prefix>LastAuthUser`, `<prefix><username>.accessToken`… */
export const userPoolCookiePrefix = (clientId: string) => `CognitoIdentityServiceProvider.${clientId}.`

/** Amplify's guest identity cookies, one per identity pool: `com.amplify.Cognito.<identityPoolId>.identityId`. */
export const IDENTITY_COOKIE_PREFIX = 'com.amplify.Cognito.'
export const guestIdentityCookie = (identityPoolId: string) => `${IDENTITY_COOKIE_PREFIX}${identityPoolId}.identityId`

/** Plain-HTTP development hosts, where a `Secure` cookie would be dropped by some browsers. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1' || hostname.endsWith('.localhost')
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
