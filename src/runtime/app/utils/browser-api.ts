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

// One client for the page's lifetime, made on the first call. Typed loosely here: Amplify's Gen2 model types are too
// deep to compare.
let client: { graphql: GraphQLCall } | undefined
export const graphql = ((options: never, headers?: never) => {
  client ??= clientApi.generateClient() as unknown as { graphql: GraphQLCall }
  return client.graphql(options, headers)
}) as unknown as Client['graphql']
