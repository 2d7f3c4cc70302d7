import type { AuthUser } from 'aws-amplify/auth'
import type { TokenUse, TokenVerifier } from './token-verifier'

function tokenUse(key: string): TokenUse | undefined {
  if (key.endsWith('.accessToken')) return 'access'
  if (key.endsWith('.idToken')) return 'id'
}

/**
 * Amplify only decodes tokens: this makes a forged or foreign token read as absent (signed out). Amplify reads the
 * access token first; an id token must then be of the same user, or someone's genuine id token next to one's own
 * access token would name the request's user.
 */
export function createStorageValidator(verifier: TokenVerifier) {
  let accessSub: unknown
  return {
    async getItem(key: string, value: string) {
      // The browser's clock offset must not move `exp` on the server: a forged one would keep an expired session
      // alive forever. Read as absent, Amplify takes 0: the server's clock decides.
      if (key.endsWith('.clockDrift')) return false
      const use = tokenUse(key)
      if (!use) return true
      const verdict = await verifier.verify(value, use)
      if (verdict.status === 'invalid') return false
      if (use === 'access') accessSub = verdict.payload.sub
      return use === 'access' || verdict.payload.sub === accessSub
    },
  }
}

/** `getCurrentUser` names the user from the id token: without a verified one of the same user, nobody is signed in. */
export function identified(user: AuthUser): AuthUser | null {
  return user.userId && user.username ? user : null
}
