import type { H3Event } from 'h3'
import { DEFAULT_AUTH_TOKEN_COOKIES_MAX_AGE } from 'aws-amplify/adapter-core'
import type { AuthUser } from 'aws-amplify/auth'
import { IDENTITY_COOKIE_PREFIX, userPoolCookiePrefix } from '../../../shared/cookies'
import { useAmplifyRequestContext } from '../amplify/request-context'
import { verifyTokenPair } from '../tokens/token-verifier'
import { CognitoError } from '../server-auth/cognito'
import type { CognitoTokens } from '../server-auth/cognito'
import type { ServerAuthSettings } from '../server-auth/settings'

export type SignInDetails = NonNullable<AuthUser['signInDetails']>

/**
 * Stores a fresh session as the cookies Amplify reads (`CognitoIdentityServiceProvider.<clientId>.…`), HttpOnly in
 * this mode, after checking the tokens as any cookie would be checked: a token the app would not accept is not stored.
 * Whatever session the browser had before is dropped, so that two users' tokens never sit side by side.
 */
export async function writeSession(event: H3Event, settings: ServerAuthSettings, tokens: CognitoTokens, signInDetails?: SignInDetails): Promise<AuthUser> {
  const pair = await verifyTokenPair(settings.verifier, tokens.AccessToken, tokens.IdToken)
  if (!pair) throw new CognitoError('InvalidTokenException', 'Cognito returned tokens that this app does not accept')
  const username = String(pair.access.username)
  // The request's own jar: later reads in this request (the SSR of the page it redirects to, say) see the new session.
  const jar = useAmplifyRequestContext(event).cookies()
  const prefix = userPoolCookiePrefix(settings.clientId)
  jar.deleteMatching(prefix)
  const options = { maxAge: DEFAULT_AUTH_TOKEN_COOKIES_MAX_AGE }
  const user = `${prefix}${username}.`
  jar.set(`${prefix}LastAuthUser`, username, options)
  jar.set(`${user}accessToken`, tokens.AccessToken, options)
  jar.set(`${user}idToken`, tokens.IdToken, options)
  if (tokens.RefreshToken) jar.set(`${user}refreshToken`, tokens.RefreshToken, options)
  jar.set(`${user}clockDrift`, '0', options)
  if (signInDetails) jar.set(`${user}signInDetails`, JSON.stringify(signInDetails), options)
  return { username, userId: String(pair.access.sub), ...(signInDetails && { signInDetails }) }
}

/** Deletes every auth cookie of this app client (any user) and the guest identity; returns the refresh token it held. */
export function clearSession(event: H3Event, settings: ServerAuthSettings): string | undefined {
  const jar = useAmplifyRequestContext(event).cookies()
  const prefix = userPoolCookiePrefix(settings.clientId)
  const username = jar.get(`${prefix}LastAuthUser`)?.value
  const refreshToken = username ? jar.get(`${prefix}${username}.refreshToken`)?.value : undefined
  jar.deleteMatching(prefix)
  jar.deleteMatching(IDENTITY_COOKIE_PREFIX)
  return refreshToken || undefined
}
