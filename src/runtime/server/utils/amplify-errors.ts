import { isError } from 'h3'
import type { H3Error } from 'h3'
import { createAmplifyApiError } from '../lib/errors/api-errors'
import { httpError } from '../lib/errors/http-error'

const statusByErrorName: Record<string, number> = {
  NotAuthorizedException: 401,
  UserUnAuthenticatedException: 401,
  TokenExpiredException: 401,
  UserNotConfirmedException: 403,
  NetworkError: 503,
  TooManyRequestsException: 503,
  AuthServiceUnavailableError: 503,
}

const messages: Record<number, string> = {
  401: 'Authentication required',
  403: 'User is not confirmed',
  503: 'Authentication service unavailable',
}

/** The HTTP status that an error thrown by Amplify (or by this module) stands for; 500 when unknown. */
function amplifyErrorStatus(error: unknown): number {
  const name = (error as { name?: string } | undefined)?.name
  return (name && statusByErrorName[name]) || 500
}

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
  // REST, GraphQL and Storage failures carry their own status; Auth errors keep the mapping above.
  const apiError = !(name && statusByErrorName[name]) && createAmplifyApiError(error)
  if (apiError) return apiError
  const statusCode = amplifyErrorStatus(error)
  if (statusCode === 500) console.error('[nuxt-amplify-ssr] Amplify call failed:', error)
  const message = messages[statusCode] ?? (name === 'AmplifyConfigError' ? 'Amplify is not configured' : 'Amplify request failed')
  return httpError(statusCode, name, message)
}
