import { createError } from 'h3'
import type { H3Error } from 'h3'

const statusMessages: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

/**
 * The module's one error envelope: `{ statusCode, message, data: { error: message, code } }` — a short message for
 * people, Amplify's or Cognito's error name for code, never a stack.
 */
export function httpError(statusCode: number, code: string | undefined, message: string, cause?: unknown): H3Error {
  return createError({ statusCode, statusMessage: statusMessages[statusCode], message, data: { error: message, code }, cause })
}
