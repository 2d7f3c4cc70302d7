import type { H3Event } from 'h3'
import type { JWTPayload } from 'jose'
import type { AuthUser } from 'aws-amplify/auth'
import { useNitroApp } from 'nitropack/runtime'
import type { AmplifySession, AmplifySessionClaims } from '../../../types'
import { useAmplifyRequestContext } from '../amplify/request-context'
import type { AmplifyRequestContext } from '../amplify/request-context'
import { computeOnce } from '../cache/compute-once'
import type { ComputedOnce } from '../cache/compute-once'
import { useAmplifyServerSettings } from '../amplify/server-settings'
import { sessionCookieNames } from '../session/session-cookie-names'
import { knownTokenPair, verifyTokenPair } from '../tokens/token-verifier'
import type { TokenPair } from '../tokens/token-verifier'

/** One request's session, computed on first use: `get()` its promise, `now()` the session when it needed no waiting. */
export type AmplifySessionReader = ComputedOnce<AmplifySession | null>

/** `cognito:groups` as Cognito writes it: a list of names. Anything else in a verified token is no group at all. */
function groupsOf(access: JWTPayload): string[] {
  const groups = access['cognito:groups']
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : []
}

// By verified token rather than per request: every request of a session comes with the same tokens. Frozen, since
// they all share them: a hook that changed one request's groups would change them for the session's next requests.
const groupsByToken = new WeakMap<JWTPayload, string[]>()
const claimsByToken = new WeakMap<JWTPayload, AmplifySessionClaims>()

function sessionGroups(access: JWTPayload): string[] {
  let groups = groupsByToken.get(access)
  if (!groups) groupsByToken.set(access, groups = Object.freeze(groupsOf(access)) as string[])
  return groups
}

/** A token's claims, a JSON value, copied and frozen to the last array or object in it. */
function frozenCopy<T>(value: T): T {
  if (!value || typeof value !== 'object') return value
  const copy = Array.isArray(value)
    ? value.map(frozenCopy)
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, frozenCopy(item)]))
  return Object.freeze(copy) as T
}

function sessionClaims(id: JWTPayload): AmplifySessionClaims {
  let claims = claimsByToken.get(id)
  if (!claims) claimsByToken.set(id, claims = frozenCopy(id) as AmplifySessionClaims)
  return claims
}

/**
 * Whether anything listens to `amplify:session`: most apps have no hook, and calling none still costs a hookable
 * task and promises on every request. hookable has no public count: without its internals, the hook is called.
 */
function hasSessionHooks(hooks: ReturnType<typeof useNitroApp>['hooks']): boolean {
  const internals = hooks as unknown as { _hooks?: Record<string, unknown>, _before?: unknown, _after?: unknown }
  return !internals._hooks || 'amplify:session' in internals._hooks || Boolean(internals._before || internals._after)
}

async function tokensInJar(context: AmplifyRequestContext) {
  const { clientId, verifier } = useAmplifyServerSettings()
  const jar = context.cookies()
  const names = sessionCookieNames(clientId)
  const username = jar.read(names.lastAuthUser.name, names.lastAuthUser.encoded)
  const own = username ? names.ofUser(username) : undefined
  const [accessToken, idToken] = own ? [jar.read(own.accessToken.name, own.accessToken.encoded), jar.read(own.idToken.name, own.idToken.encoded)] : []
  return accessToken && idToken
    ? knownTokenPair(verifier, accessToken, idToken) ?? await verifyTokenPair(verifier, accessToken, idToken)
    : undefined
}

/** The request's session: with no promise when its user is known without waiting and no hook has to run. */
function readAmplifySession(event: H3Event): AmplifySession | null | Promise<AmplifySession | null> {
  const context = useAmplifyRequestContext(event)
  const user = context.userNow()
  return user === undefined ? context.user().then(found => sessionOf(event, context, found)) : sessionOf(event, context, user)
}

function sessionOf(event: H3Event, context: AmplifyRequestContext, user: AuthUser | null): AmplifySession | null | Promise<AmplifySession | null> {
  if (!user) return null
  // `user()` left in the jar the tokens it accepted (refreshed ones included), and their verdicts are remembered:
  // reading their claims is a lookup, not a second verification, and never a call to Cognito (fresh tokens of a
  // refresh are verified once, as the next request would). Read straight from the jar, `user()` kept them.
  const tokens = context.verifiedTokens()
  return tokens ? sessionWith(event, user, tokens) : tokensInJar(context).then(pair => sessionWith(event, user, pair))
}

function sessionWith(event: H3Event, user: AuthUser, tokens: TokenPair | undefined): AmplifySession | null | Promise<AmplifySession> {
  // Not the session `user()` read: no claims can be vouched for, so no session — a check of groups fails closed.
  if (!tokens || tokens.id.sub !== user.userId) return null
  const session: AmplifySession = {
    user,
    groups: sessionGroups(tokens.access),
    claims: sessionClaims(tokens.id),
    expiresAt: (tokens.access.exp ?? 0) * 1000,
    data: {},
  }
  // The app may enrich the session (`session.data`) or veto it by throwing (a 401/403 h3 error).
  const { hooks } = useNitroApp()
  return hasSessionHooks(hooks) ? hooks.callHook('amplify:session', session, event).then(() => session) : session
}

/** The request's session reader, made on first use; the hook runs once per request at most. */
export function useAmplifySessionReader(event: H3Event): AmplifySessionReader {
  return (event.context.amplifySession ??= computeOnce(() => readAmplifySession(event)))
}
