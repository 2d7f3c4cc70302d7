import type { H3Event } from 'h3'
import type { JWTPayload } from 'jose'
import { useNitroApp } from 'nitropack/runtime'
import type { AmplifySession, AmplifySessionClaims } from '../../../types'
import { useAmplifyRequestContext } from '../amplify/request-context'
import { useAmplifyServerSettings } from '../amplify/server-settings'
import { lastAuthUserCookie, sessionCookieStem } from '../../../shared/cookies'
import { knownTokenPair, verifyTokenPair } from '../tokens/token-verifier'

/** One request's session reader: the session computed on first call, then the same promise. */
export type AmplifySessionReader = () => Promise<AmplifySession | null>

/** `cognito:groups` as Cognito writes it: a list of names. Anything else in a verified token is no group at all. */
function groupsOf(access: JWTPayload): string[] {
  const groups = access['cognito:groups']
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : []
}

async function tokensInJar(context: ReturnType<typeof useAmplifyRequestContext>) {
  const { clientId, verifier } = useAmplifyServerSettings()
  const jar = context.cookies()
  const username = jar.get(lastAuthUserCookie(clientId))?.value
  const stem = username ? sessionCookieStem(clientId, username) : ''
  const [accessToken, idToken] = [jar.get(`${stem}accessToken`)?.value, jar.get(`${stem}idToken`)?.value]
  return accessToken && idToken
    ? knownTokenPair(verifier, accessToken, idToken) ?? await verifyTokenPair(verifier, accessToken, idToken)
    : undefined
}

async function readAmplifySession(event: H3Event): Promise<AmplifySession | null> {
  const context = useAmplifyRequestContext(event)
  const user = await context.user()
  if (!user) return null
  // `user()` left in the jar the tokens it accepted (refreshed ones included), and their verdicts are remembered:
  // reading their claims is a lookup, not a second verification, and never a call to Cognito (fresh tokens of a
  // refresh are verified once, as the next request would). Read straight from the jar, `user()` kept them.
  const tokens = context.verifiedTokens() ?? await tokensInJar(context)
  // Not the session `user()` read: no claims can be vouched for, so no session — a check of groups fails closed.
  if (!tokens || tokens.id.sub !== user.userId) return null
  const session: AmplifySession = {
    user,
    groups: groupsOf(tokens.access),
    claims: { ...tokens.id } as AmplifySessionClaims,
    expiresAt: (tokens.access.exp ?? 0) * 1000,
    data: {},
  }
  // The app may enrich the session (`session.data`) or veto it by throwing (a 401/403 h3 error).
  await useNitroApp().hooks.callHook('amplify:session', session, event)
  return session
}

/** The request's session reader, made on first use; the hook runs once per request at most. */
export function useAmplifySessionReader(event: H3Event): AmplifySessionReader {
  if (event.context.amplifySession) return event.context.amplifySession
  let session: Promise<AmplifySession | null> | undefined
  const reader: AmplifySessionReader = () => (session ??= readAmplifySession(event))
  event.context.amplifySession = reader
  return reader
}
