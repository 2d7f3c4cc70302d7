import type { AuthSession } from 'aws-amplify/auth'
import type { AmplifySessionClaims } from '../../types'
import type { AmplifySessionDetails } from '../composables/useAmplifySession'

/**
 * The session details of Amplify's browser session (its tokens, decoded): what the server read from the same tokens.
 * `data` comes from the server's `amplify:session` hooks only; it is kept while the user stays the same.
 */
export function sessionDetailsOf(tokens: AuthSession['tokens'], previous: AmplifySessionDetails | null): AmplifySessionDetails | null {
  if (!tokens?.idToken) return null
  const claims = { ...tokens.idToken.payload } as AmplifySessionClaims
  const groups = tokens.accessToken.payload['cognito:groups']
  return {
    groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
    claims,
    expiresAt: (tokens.accessToken.payload.exp ?? 0) * 1000,
    data: previous?.claims.sub === claims.sub ? previous.data : {},
  }
}
