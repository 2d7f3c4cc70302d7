import { DEFAULT_AUTH_TOKEN_COOKIES_MAX_AGE } from 'aws-amplify/adapter-core'
import type { AuthUser } from 'aws-amplify/auth'
import { lastAuthUserCookie, sessionCookieStem, userPoolCookiePrefix } from '../../../shared/cookies'
import { verifyTokenPair } from '../tokens/token-verifier'
import type { TokenVerifier } from '../tokens/token-verifier'
import type { CookieJar } from './cookie-jar'

export type SignInDetails = NonNullable<AuthUser['signInDetails']>

/** A session's tokens, named as Cognito's `AuthenticationResult` names them. */
export interface SessionTokens {
  AccessToken: string
  IdToken: string
  RefreshToken?: string
}

export interface WriteSessionInput {
  /** The user-pool app client whose cookies these are. */
  clientId: string
  verifier: TokenVerifier
  tokens: SessionTokens
  signInDetails?: SignInDetails
}

/**
 * The inverse of `readSession`: stores a fresh session as the cookies Amplify reads
 * (`CognitoIdentityServiceProvider.<clientId>.…`), after checking the tokens as any cookie would be checked. Resolves
 * `undefined`, and writes nothing, for tokens that the app would not accept. Whatever session the jar held before is
 * dropped, so that two users' tokens never sit side by side.
 */
export async function writeSession(jar: CookieJar, input: WriteSessionInput): Promise<AuthUser | undefined> {
  const { clientId, verifier, tokens, signInDetails } = input
  const pair = await verifyTokenPair(verifier, tokens.AccessToken, tokens.IdToken)
  if (!pair) return undefined
  const username = String(pair.access.username)
  jar.deleteMatching(userPoolCookiePrefix(clientId))
  const options = { maxAge: DEFAULT_AUTH_TOKEN_COOKIES_MAX_AGE }
  const stem = sessionCookieStem(clientId, username)
  jar.set(lastAuthUserCookie(clientId), username, options)
  jar.set(`${stem}accessToken`, tokens.AccessToken, options)
  jar.set(`${stem}idToken`, tokens.IdToken, options)
  if (tokens.RefreshToken) jar.set(`${stem}refreshToken`, tokens.RefreshToken, options)
  jar.set(`${stem}clockDrift`, '0', options)
  if (signInDetails) jar.set(`${stem}signInDetails`, JSON.stringify(signInDetails), options)
  return { username, userId: String(pair.access.sub), ...(signInDetails && { signInDetails }) }
}
