import type { H3Event } from 'h3'
import type { AuthUser } from 'aws-amplify/auth'
import { useAmplifyRequestContext } from '../lib/amplify/request-context'
import type { AmplifyOperation } from '../lib/amplify/request-context'
import { useAmplifySessionReader } from '../lib/authorization/session-reader'
import { amplifyHttpError } from '../lib/errors/amplify-errors'
import { decideAccess } from '../../shared/access-rule'
import type { AmplifySession } from '../../types'
import { createAmplifyError } from './amplify-errors'

/**
 * Runs `operation` with an Amplify server context built from the request's cookies. Pass the context to
 * Amplify's server APIs; never keep it beyond the callback. Amplify errors become h3 errors (401/403/503/500).
 *
 * @example
 * import { fetchUserAttributes } from 'aws-amplify/auth/server'
 * export default defineEventHandler(event => runAmplifyApi(event, ctx => fetchUserAttributes(ctx)))
 */
export async function runAmplifyApi<T>(event: H3Event, operation: AmplifyOperation<T>): Promise<T> {
  try {
    return await useAmplifyRequestContext(event).run(operation)
  }
  catch (error) {
    throw createAmplifyError(error)
  }
}

/**
 * The signed-in user's session: `{ user, groups, claims, expiresAt, data }`, or `null` when signed out. Read from the
 * tokens the request's session was verified with — no second verification, no call to Cognito — and computed once
 * per request, with the app's `amplify:session` hooks. Throws (503) when the session cannot be decided, or what a
 * hook threw to veto it.
 *
 * @example
 * const session = await getAmplifySession(event)
 * if (session?.groups.includes('admin')) { ... }
 */
export function getAmplifySession(event: H3Event): Promise<AmplifySession | null> {
  return useAmplifySessionReader(event)().catch((error) => {
    throw createAmplifyError(error)
  })
}

/**
 * The signed-in user (`getCurrentUser`), or `null` when signed out or when the session is not valid.
 * Computed once per request. Throws (503) only when the session cannot be decided: Cognito or its keys unreachable,
 * or Cognito throttling a refresh; the cookies are then kept. An `amplify:session` hook's veto is thrown too.
 */
export async function getAmplifyUser(event: H3Event): Promise<AuthUser | null> {
  return (await getAmplifySession(event))?.user ?? null
}

export interface RequireAmplifyUserOptions {
  /** Cognito groups of which the user must be in at least one (the access token's `cognito:groups`). */
  groups?: string[]
}

/**
 * The signed-in user, or a 401 error `{ error: 'Authentication required' }`; with `groups`, a 403 error
 * `{ error: 'Forbidden' }` for a user in none of them.
 *
 * @example
 * const user = await requireAmplifyUser(event, { groups: ['admin'] })
 */
export async function requireAmplifyUser(event: H3Event, options: RequireAmplifyUserOptions = {}): Promise<AuthUser> {
  const session = await getAmplifySession(event)
  const verdict = decideAccess(options.groups ? { groups: options.groups } : true, session)
  if (verdict === 'unauthenticated') throw amplifyHttpError('UserUnAuthenticatedException')
  if (verdict === 'forbidden') throw amplifyHttpError('GroupRequired')
  return session!.user
}
