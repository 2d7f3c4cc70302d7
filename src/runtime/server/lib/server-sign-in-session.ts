import type { H3Event } from 'h3'
import { AUTH_KEY_PREFIX, DEFAULT_AUTH_TOKEN_COOKIES_MAX_AGE } from 'aws-amplify/adapter-core'
import type { AuthUser } from 'aws-amplify/auth'
import { createCookieJar } from './cookie-jar'
import { CognitoError } from './server-sign-in-cognito'
import type { CognitoTokens } from './server-sign-in-cognito'
import type { ServerSignInSetup } from './server-sign-in-setup'

// The guest identity Amplify keeps for an identity pool: `com.amplify.Cognito.<identityPoolId>.identityId`.
const IDENTITY_PREFIX = 'com.amplify.Cognito.'

export type SignInDetails = NonNullable<AuthUser['signInDetails']>

const clientPrefix = (clientId: string) => `${AUTH_KEY_PREFIX}.${clientId}.`

/**
 * Stores a fresh session as the cookies Amplify reads (`CognitoIdentityServiceProvider.<clientId>.…`), HttpOnly in
 * this mode, after checking the tokens as any cookie would be checked: a token the app would not accept is not stored.
 * Whatever session the browser had before is dropped, so that two users' tokens never sit side by side.
 */
export async function writeSession(event: H3Event, setup: ServerSignInSetup, tokens: CognitoTokens, signInDetails?: SignInDetails): Promise<AuthUser> {
  const [access, id] = await Promise.all([setup.verifier.verify(tokens.AccessToken, 'access'), setup.verifier.verify(tokens.IdToken, 'id')])
  if (access.status !== 'valid' || id.status !== 'valid') throw new CognitoError('InvalidTokenException', 'Cognito returned tokens that this app does not accept')
  const username = String(access.payload.username)
  const jar = createCookieJar(event, setup.cookies)
  const prefix = clientPrefix(setup.clientId)
  for (const { name } of jar.getAll()) {
    if (name.startsWith(prefix)) jar.delete(name)
  }
  const options = { maxAge: DEFAULT_AUTH_TOKEN_COOKIES_MAX_AGE }
  const user = `${prefix}${username}.`
  jar.set(`${prefix}LastAuthUser`, username, options)
  jar.set(`${user}accessToken`, tokens.AccessToken, options)
  jar.set(`${user}idToken`, tokens.IdToken, options)
  if (tokens.RefreshToken) jar.set(`${user}refreshToken`, tokens.RefreshToken, options)
  jar.set(`${user}clockDrift`, '0', options)
  if (signInDetails) jar.set(`${user}signInDetails`, JSON.stringify(signInDetails), options)
  return { username, userId: String(access.payload.sub), ...(signInDetails && { signInDetails }) }
}

/** Deletes every auth cookie of this app client (any user) and the guest identity; returns the refresh token it held. */
export function clearSession(event: H3Event, setup: ServerSignInSetup): string | undefined {
  const jar = createCookieJar(event, setup.cookies)
  const prefix = clientPrefix(setup.clientId)
  const username = jar.get(`${prefix}LastAuthUser`)?.value
  const refreshToken = username ? jar.get(`${prefix}${username}.refreshToken`)?.value : undefined
  for (const { name } of jar.getAll()) {
    if (name.startsWith(prefix) || name.startsWith(IDENTITY_PREFIX)) jar.delete(name)
  }
  return refreshToken || undefined
}
