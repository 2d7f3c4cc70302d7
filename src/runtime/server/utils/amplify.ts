import type { H3Error } from 'h3'
import type { AuthUser } from 'aws-amplify/auth'
import { useAmplifyRequestContext } from '../lib/amplify/request-context'
import type { AmplifyOperation } from '../lib/amplify/request-context'
import { useAmplifySessionReader } from '../lib/authorization/session-reader'
import { amplifyHttpError } from '../lib/errors/amplify-errors'
import { decideAccess } from '../../shared/access-rule'
import type { AmplifySession } from '../../types'
import { createAmplifyError } from './amplify-errors'
import { isSocketSource, toAmplifyEvent, withUpgradeResponse } from '../lib/http/websocket-event'
import type { AmplifyEventSource } from '../lib/http/websocket-event'

/** An error of the utils, for `source`: on a WebSocket, one that crossws turns into the handshake's answer. */
function failure(source: AmplifyEventSource, error: H3Error): H3Error {
  return isSocketSource(source) ? withUpgradeResponse(error) : error
}

/**
 * Runs `operation` with an Amplify server context built from the request's cookies. Pass the context to
 * Amplify's server APIs; never keep it beyond the callback. Amplify errors become h3 errors (401/403/503/500).
 * `event` may also be a WebSocket route's upgrade request or peer (docs/websockets.md).
 *
 * @example
 * import { fetchUserAttributes } from 'aws-amplify/auth/server'
 * export default defineEventHandler(event => runAmplifyApi(event, ctx => fetchUserAttributes(ctx)))
 */
export async function runAmplifyApi<T>(event: AmplifyEventSource, operation: AmplifyOperation<T>): Promise<T> {
  try {
    return await useAmplifyRequestContext(toAmplifyEvent(event)).run(operation)
  }
  catch (error) {
    throw failure(event, createAmplifyError(error))
  }
}

/**
 * The signed-in user's session: `{ user, groups, claims, expiresAt, data }`, or `null` when signed out. Read from the
 * tokens the request's session was verified with — no second verification, no call to Cognito — and computed once
 * per request, with the app's `amplify:session` hooks. Throws (503) when the session cannot be decided, or what a
 * hook threw to veto it. On a WebSocket (`upgrade(request)`, or a peer afterwards), read from the handshake's
 * cookies: once per handshake, and again at every call with a peer, whose socket outlives its tokens.
 *
 * @example
 * const session = await getAmplifySession(event)
 * if (session?.groups.includes('admin')) { ... }
 */
export async function getAmplifySession(event: AmplifyEventSource): Promise<AmplifySession | null> {
  return sessionOf(event)
}

/** The session, with no promise when it needed no waiting: nearly every request of a session. */
function sessionOf(event: AmplifyEventSource): AmplifySession | null | Promise<AmplifySession | null> {
  const reader = useAmplifySessionReader(toAmplifyEvent(event))
  const session = reader.now()
  return session !== undefined
    ? session
    : reader.get().catch((error) => {
        throw failure(event, createAmplifyError(error))
      })
}

/**
 * The signed-in user (`getCurrentUser`), or `null` when signed out or when the session is not valid.
 * Computed once per request. Throws (503) only when the session cannot be decided: Cognito or its keys unreachable,
 * or Cognito throttling a refresh; the cookies are then kept. An `amplify:session` hook's veto is thrown too.
 */
export async function getAmplifyUser(event: AmplifyEventSource): Promise<AuthUser | null> {
  const session = sessionOf(event)
  return (session instanceof Promise ? await session : session)?.user ?? null
}

export interface RequireAmplifyUserOptions {
  /** Cognito groups of which the user must be in at least one (the access token's `cognito:groups`). */
  groups?: string[]
}

/**
 * The signed-in user, or a 401 error `{ error: 'Authentication required' }`; with `groups`, a 403 error
 * `{ error: 'Forbidden' }` for a user in none of them. In a WebSocket route's `upgrade(request)`, the error thrown
 * carries a `Response`, with which crossws refuses the handshake (401, 403, 503).
 *
 * @example
 * const user = await requireAmplifyUser(event, { groups: ['admin'] })
 */
export async function requireAmplifyUser(event: AmplifyEventSource, options: RequireAmplifyUserOptions = {}): Promise<AuthUser> {
  const read = sessionOf(event)
  const session = read instanceof Promise ? await read : read
  const verdict = decideAccess(options.groups ? { groups: options.groups } : true, session)
  if (verdict === 'unauthenticated') throw failure(event, amplifyHttpError('UserUnAuthenticatedException'))
  if (verdict === 'forbidden') throw failure(event, amplifyHttpError('GroupRequired'))
  return session!.user
}
