import type { H3Event } from 'h3'
import { useAmplifyRequestContext } from '../lib/amplify/request-context'
import { requestGraphQLClient } from '../lib/amplify/graphql-client'
import type { AmplifyGraphQLClient, AmplifyGraphQLClientOptions } from '../lib/amplify/graphql-client'
import { useAmplifyServerSettings } from '../lib/amplify/server-settings'
import { createAmplifyError } from './amplify-errors'

/** The request's client with errors mapped for routes; lives as long as the request's client. */
const routeClients = new WeakMap<AmplifyGraphQLClient, AmplifyGraphQLClient>()

/**
 * The request's GraphQL client (`generateClient` from `aws-amplify/api/server`), made once per request and options
 * and bound to the request's Amplify context: `graphql(options, headers?)` as in the browser, no context argument.
 * Auth modes as in Amplify (`userPool`, `iam`, `apiKey`, `lambda`, `oidc`), per client or per call. Failures become
 * h3 errors like `runAmplifyApi`'s (GraphQL `Unauthorized` 403, no signed-in user 401…); the Amplify error is `cause`.
 *
 * @example
 * export default defineEventHandler(async (event) => {
 *   const { data } = await getAmplifyGraphQLClient(event).graphql({ query: listNotes })
 *   return data.listNotes
 * })
 */
export function getAmplifyGraphQLClient(event: H3Event, options?: AmplifyGraphQLClientOptions): AmplifyGraphQLClient {
  const client = requestGraphQLClient(useAmplifyRequestContext(event), useAmplifyServerSettings().resources, options)
  let routeClient = routeClients.get(client)
  if (!routeClient) {
    const graphql = (...args: Parameters<AmplifyGraphQLClient['graphql']>) =>
      (client.graphql(...args) as Promise<unknown>).catch((error: unknown) => {
        throw createAmplifyError(error)
      })
    routeClients.set(client, routeClient = { graphql: graphql as AmplifyGraphQLClient['graphql'] })
  }
  return routeClient
}

export type { AmplifyGraphQLClient, AmplifyGraphQLClientOptions }
