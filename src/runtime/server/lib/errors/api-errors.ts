// How failures of Amplify's API and Storage calls become HTTP answers of a server route. Auth errors are
// mapped in utils/amplify-errors.ts; this covers what REST, GraphQL and S3 answer, and the mistake of calling
// a browser API on the server.
import type { H3Error } from 'h3'
import { knownAmplifyError } from './amplify-errors'
import { httpError } from './http-error'

interface GraphQLErrorLike { message?: string, errorType?: string }
interface HttpMetadata { httpStatusCode?: number }

// What an API said with its HTTP status alone (REST, S3, GraphQL errors without a name of the error table).
const statusMessages: Record<number, string> = {
  401: 'Authentication required',
  403: 'Not allowed',
  404: 'Not found',
  502: 'Upstream API failed',
}

/** The server variant to name when a browser API ran on the server, guessed from where it was thrown. */
function serverVariant(error: Error): string {
  const stack = error.stack ?? ''
  if (stack.includes('storage')) return 'aws-amplify/storage/server'
  if (stack.includes('api-graphql')) return 'getAmplifyGraphQLClient(event) (or generateClient from aws-amplify/api/server)'
  if (stack.includes('api-rest')) return 'aws-amplify/api/server'
  if (stack.includes('auth')) return 'aws-amplify/auth/server'
  return 'aws-amplify/<category>/server'
}

/**
 * Amplify's browser APIs read a process-wide configuration that a server never has (and must not have: it would be
 * shared by every user). Amplify's own message says to call `Amplify.configure()`, which is the wrong fix here.
 */
export function clientApiOnServerMessage(error: Error): string {
  return `[nuxt-amplify-ssr] An Amplify browser API was called on the server (${error.name}). On the server, use `
    + `${serverVariant(error)} with the request's context: runAmplifyApi(event, ctx => api(ctx, input)) in server routes, `
    + `useAmplify() or useAmplifyServerContext() in pages and components. Do not call Amplify.configure() on the server.`
}

function graphQLStatus(errors: GraphQLErrorLike[]): number {
  // AppSync answers HTTP 401 for a request no auth mode accepts; Amplify reports it as a bare "Unauthorized".
  if (errors.some(e => e.errorType === 'UnauthorizedException' || e.message === 'Unauthorized')) return 401
  if (errors.some(e => e.errorType === 'Unauthorized')) return 403
  return 502
}

/** The status for an API or Storage failure, or undefined when the error is not one. */
export function apiErrorStatus(error: unknown): number | undefined {
  if (!error || typeof error !== 'object') return undefined
  const { name, errors, $metadata, metadata } = error as {
    name?: string
    errors?: unknown
    $metadata?: HttpMetadata
    metadata?: HttpMetadata
  }
  const known = knownAmplifyError(name)
  if (known?.api) return known.status
  // GraphQL rejects with the response itself when it has `errors`.
  if (!(error instanceof Error) && Array.isArray(errors)) return graphQLStatus(errors as GraphQLErrorLike[])
  // REST errors carry `$metadata`, Storage errors `metadata`.
  const status = ($metadata ?? metadata)?.httpStatusCode
  if (status && status >= 400) return status >= 500 ? 502 : status
  return undefined
}

/**
 * An h3 error for a failed REST, GraphQL or Storage call: the API's 4xx status passes through (401, 403, 404…),
 * its 5xx become 502, GraphQL `Unauthorized` errors 401/403, missing credentials 401. Undefined for other errors.
 * The message is generic; the Amplify error name is in `data.code` and the error itself in `cause`.
 */
export function createAmplifyApiError(error: unknown): H3Error | undefined {
  const statusCode = apiErrorStatus(error)
  if (!statusCode) return undefined
  const first = (error as { errors?: GraphQLErrorLike[] }).errors?.[0]
  const name = (error as { name?: string }).name ?? first?.errorType ?? first?.message ?? 'GraphQLError'
  if (statusCode === 500) {
    const message = error instanceof Error && name === 'NoAmplifyContextError' ? clientApiOnServerMessage(error) : (error as Error).message
    console.error(message)
  }
  if (statusCode === 502) console.error('[nuxt-amplify-ssr] Amplify API call failed:', error)
  const known = knownAmplifyError(name)
  const message = known?.api ? known.message : statusMessages[statusCode]
  return httpError(statusCode, name, message ?? 'Request rejected by the API', error)
}
