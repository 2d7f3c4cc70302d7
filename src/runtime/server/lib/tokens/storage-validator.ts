import type { AuthUser } from 'aws-amplify/auth'
import type { JWTPayload } from 'jose'
import { sessionCookieKey } from '../../../shared/cookies'
import type { SessionCookieKey } from '../../../shared/cookies'
import { sameUser } from './token-verifier'
import type { TokenUse, TokenVerifier } from './token-verifier'

const TOKEN_USES: Partial<Record<SessionCookieKey, TokenUse>> = { accessToken: 'access', idToken: 'id' }

/**
 * Amplify only decodes tokens: this makes a forged or foreign token read as absent (signed out). Amplify reads the
 * access token first; an id token must then be of the same user, or someone's genuine id token next to one's own
 * access token would name the request's user.
 */
export function createStorageValidator(verifier: TokenVerifier) {
  let access: JWTPayload | undefined
  return {
    async getItem(key: string, value: string) {
      const cookie = sessionCookieKey(key)
      // The browser's clock offset must not move `exp` on the server: a forged one would keep an expired session
      // alive forever. Read as absent, Amplify takes 0: the server's clock decides.
      if (cookie === 'clockDrift') return false
      const use = cookie && TOKEN_USES[cookie]
      if (!use) return true
      const verdict = await verifier.verify(value, use)
      if (verdict.status === 'invalid') return false
      if (use === 'access') access = verdict.payload
      return use === 'access' || (access !== undefined && sameUser(access, verdict.payload))
    },
  }
}

/** `getCurrentUser` names the user from the id token: without a verified one of the same user, nobody is signed in. */
export function identified(user: AuthUser): AuthUser | null {
  return user.userId && user.username ? user : null
}
