// `useAmplify().API` in the browser, one export per API so that the build keeps only those the app calls
// (#amplify-client-apis picks them).
import * as clientApi from 'aws-amplify/api'
import type { Client } from 'aws-amplify/api'
import type { AmplifyAPI } from './amplify-api'

export const get: AmplifyAPI['get'] = clientApi.get
export const post: AmplifyAPI['post'] = clientApi.post
export const put: AmplifyAPI['put'] = clientApi.put
export const del: AmplifyAPI['del'] = clientApi.del
export const head: AmplifyAPI['head'] = clientApi.head
export const patch: AmplifyAPI['patch'] = clientApi.patch

type GraphQLCall = (options: never, headers?: never) => unknown

// Through a generateClient() client: in development, and where Amplify's GraphQL API cannot be located (graphqlThrough
// below otherwise). One client for the page's lifetime, made on the first call. Typed loosely here: Amplify's Gen2
// model types are too deep to compare.
let client: { graphql: GraphQLCall } | undefined
export const graphql = ((options: never, headers?: never) => {
  client ??= clientApi.generateClient() as unknown as { graphql: GraphQLCall }
  return client.graphql(options, headers)
}) as unknown as Client['graphql']

/** What `graphqlThrough` needs of Amplify's GraphQL API (`GraphQLAPI` of @aws-amplify/api-graphql). */
export interface GraphQLAPILike {
  graphql(context: unknown, options: never, headers?: never): unknown
}

/**
 * `graphql` straight through Amplify's GraphQL API, which the client of `generateClient()` calls in the end (with no
 * client options, as here, the same call): without generateClient, its Gen2 model client (@aws-amplify/data-schema,
 * a third of Amplify's GraphQL code) stays out of the bundle. `context` is Amplify's configured global context.
 */
export function graphqlThrough(api: GraphQLAPILike, context: () => unknown): Client['graphql'] {
  return ((options: never, headers?: never) => api.graphql(context(), options, headers)) as unknown as Client['graphql']
}
