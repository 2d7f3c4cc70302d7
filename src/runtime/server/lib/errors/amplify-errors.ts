import type { H3Error } from 'h3'
import { httpError } from './http-error'

export interface ErrorAnswer {
  status: number
  message: string
  /** An error of Amplify's API or Storage categories: answered with the error as `cause` (see `createAmplifyApiError`). */
  api?: true
}

const AUTHENTICATION_REQUIRED: ErrorAnswer = { status: 401, message: 'Authentication required' }
const AUTH_UNAVAILABLE: ErrorAnswer = { status: 503, message: 'Authentication service unavailable' }
const MISUSED_ON_SERVER: ErrorAnswer = { status: 500, message: 'Amplify API misused on the server', api: true }

/**
 * The module's one table of what an error stands for, by the name that Amplify, Cognito or this module gives it.
 * Errors without a known name fall back to the status the API answered (`createAmplifyApiError`), else 500.
 */
const AMPLIFY_ERRORS: Record<string, ErrorAnswer> = {
  // Auth: no session, or one Cognito refused.
  NotAuthorizedException: AUTHENTICATION_REQUIRED,
  UserUnAuthenticatedException: AUTHENTICATION_REQUIRED,
  TokenExpiredException: AUTHENTICATION_REQUIRED,
  UserNotConfirmedException: { status: 403, message: 'User is not confirmed' },
  // Signed in, but in none of the Cognito groups that a route asks for (`requireAmplifyUser`, `amplifyAuth` rules).
  GroupRequired: { status: 403, message: 'Forbidden' },
  // The session cannot be decided: Cognito or its keys unreachable, or throttling.
  NetworkError: AUTH_UNAVAILABLE,
  TooManyRequestsException: AUTH_UNAVAILABLE,
  AuthServiceUnavailableError: AUTH_UNAVAILABLE,
  AmplifyConfigError: { status: 500, message: 'Amplify is not configured' },
  // API and Storage: no signed-in user for `userPool` GraphQL; no credentials for IAM or Storage (no guest access).
  NoValidAuthTokens: { ...AUTHENTICATION_REQUIRED, api: true },
  NoCredentials: { ...AUTHENTICATION_REQUIRED, api: true },
  // A browser API, or a subscription, called on the server.
  NoAmplifyContextError: MISUSED_ON_SERVER,
  GraphQLSubscriptionOnServerError: MISUSED_ON_SERVER,
}

/** What the table says of an error name; undefined for names it does not know. */
export function knownAmplifyError(name: string | undefined): ErrorAnswer | undefined {
  return name && Object.hasOwn(AMPLIFY_ERRORS, name) ? AMPLIFY_ERRORS[name] : undefined
}

/** The h3 error for an error name, e.g. `amplifyHttpError('UserUnAuthenticatedException')` for a 401; 500 when unknown. */
export function amplifyHttpError(name: string | undefined, cause?: unknown): H3Error {
  const { status, message } = knownAmplifyError(name) ?? { status: 500, message: 'Amplify request failed' }
  return httpError(status, name, message, cause)
}
