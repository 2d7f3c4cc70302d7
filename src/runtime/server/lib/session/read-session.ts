import type { AuthUser } from 'aws-amplify/auth'
import { sessionCookieNames } from './session-cookie-names'
import type { CookieJar } from './cookie-jar'
import { memoize } from '../cache/memoize'
import { knownTokenPair, verifyTokenPair } from '../tokens/token-verifier'
import type { TokenPair, TokenVerifier } from '../tokens/token-verifier'

// Amplify refreshes tokens that expire within 5 s (`isTokenExpired`'s tolerance): so must the fast path.
const REFRESH_TOLERANCE_MS = 5_000

// The same cookie comes with every request of a session: parsed once (a copy each time, never shared).
const parsedSignInDetails = memoize((value: string): AuthUser['signInDetails'] => {
  try {
    const details = JSON.parse(value)
    return details && typeof details === 'object' ? details : undefined
  }
  catch {
    return undefined
  }
})

function parseSignInDetails(value: string | undefined): AuthUser['signInDetails'] {
  const details = value ? parsedSignInDetails(value) : undefined
  return details && { ...details }
}

/** `tokens`: the claims of the verified pair the user was read from, so that the session's claims need no second look-up. */
export type SessionRead = { user: AuthUser | null, tokens?: NonNullable<TokenPair> } | undefined

/**
 * The user of a session that Amplify would accept without any call to Cognito — both tokens verified and
 * not about to expire — read straight from the cookies, with the same result as `getCurrentUser`. `{ user: null }`
 * when there is no session cookie at all; `undefined` when Amplify must decide (refresh, or reject).
 * This keeps a signed-in page view at a few microseconds instead of a full Amplify context: synchronous once the
 * session's tokens have been verified, which is every request but its first.
 */
export function readSession(jar: CookieJar, clientId: string, verifier: TokenVerifier): SessionRead | Promise<SessionRead> {
  const names = sessionCookieNames(clientId)
  const username = jar.read(names.lastAuthUser.name, names.lastAuthUser.encoded)
  if (!username) return jar.getAll().some(cookie => cookie.name.startsWith(names.prefix)) ? undefined : { user: null }
  const own = names.ofUser(username)
  const accessToken = jar.read(own.accessToken.name, own.accessToken.encoded)
  const idToken = jar.read(own.idToken.name, own.idToken.encoded)
  if (!accessToken || !idToken) return undefined
  const sessionOf = (pair: TokenPair): SessionRead => {
    if (!pair) return undefined
    // The server's clock decides, not the browser's `clockDrift` cookie (the validator hides it from Amplify too).
    const deadline = Date.now() + REFRESH_TOLERANCE_MS
    if ((pair.access.exp ?? 0) * 1000 < deadline || (pair.id.exp ?? 0) * 1000 < deadline) return undefined
    const user: AuthUser = { username: pair.id['cognito:username'] as string, userId: pair.id.sub as string }
    const signInDetails = parseSignInDetails(jar.read(own.signInDetails.name, own.signInDetails.encoded))
    if (signInDetails) user.signInDetails = signInDetails
    return { user, tokens: pair }
  }
  const known = knownTokenPair(verifier, accessToken, idToken)
  return known === null ? verifyTokenPair(verifier, accessToken, idToken).then(sessionOf) : sessionOf(known)
}
