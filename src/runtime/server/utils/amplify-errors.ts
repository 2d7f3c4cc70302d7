import { isError } from 'h3'
import type { H3Error } from 'h3'
import { createAmplifyApiError } from '../lib/errors/api-errors'
import { amplifyHttpError, knownAmplifyError } from '../lib/errors/amplify-errors'

/**
 * Turns an error thrown by an Amplify call into an h3 error with a short JSON-safe message and no stack:
 * `NotAuthorizedException`/`TokenExpiredException` 401, `UserNotConfirmedException` 403, Cognito unreachable 503;
 * REST/Storage errors keep the API's 4xx status (5xx become 502), GraphQL `Unauthorized` 401/403, no credentials 401;
 * anything else 500. h3 errors pass through unchanged.
 *
 * @example
 * try { return await runAmplifyApi(event, ctx => fetchUserAttributes(ctx)) }
 * catch (error) { throw createAmplifyError(error) }
 */
export function createAmplifyError(error: unknown): H3Error {
  if (isError(error)) return error
  const name = (error as { name?: string } | undefined)?.name
  const known = knownAmplifyError(name)
  // REST, GraphQL and Storage failures carry their own status; Auth errors keep the table's.
  const apiError = !(known && !known.api) && createAmplifyApiError(error)
  if (apiError) return apiError
  if (!known || known.status === 500) console.error('[nuxt-amplify-ssr] Amplify call failed:', error)
  return amplifyHttpError(name)
}
