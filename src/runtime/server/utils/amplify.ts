import type { H3Event } from 'h3'
import type { AuthUser } from 'aws-amplify/auth'
import { useAmplifyRequestContext } from '../lib/amplify/request-context'
import type { AmplifyOperation } from '../lib/amplify/request-context'
import { amplifyHttpError } from '../lib/errors/amplify-errors'
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
 * The signed-in user (`getCurrentUser`), or `null` when signed out or when the session is not valid.
 * Computed once per request. Throws (503) only when the session cannot be decided: Cognito or its keys unreachable,
 * or Cognito throttling a refresh; the cookies are then kept.
 */
export function getAmplifyUser(event: H3Event): Promise<AuthUser | null> {
  return useAmplifyRequestContext(event).user().catch((error) => {
    throw createAmplifyError(error)
  })
}

/** The signed-in user, or a 401 error `{ error: 'Authentication required' }`. */
export async function requireAmplifyUser(event: H3Event): Promise<AuthUser> {
  const user = await getAmplifyUser(event)
  if (!user) throw amplifyHttpError('UserUnAuthenticatedException')
  return user
}
