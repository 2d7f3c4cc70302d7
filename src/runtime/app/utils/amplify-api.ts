import * as clientApi from 'aws-amplify/api'
import * as serverApi from 'aws-amplify/api/server'
import type { Client } from 'aws-amplify/api'
import type { ResourcesConfig } from 'aws-amplify'
import type { AmplifyRequestContext } from '../../server/lib/amplify/request-context'
import { requestGraphQLClient } from '../../server/lib/amplify/graphql-client'
import { runOperation } from './amplify-tasks'
import type { AmplifyRunner } from './amplify-tasks'

type Rest<F extends (...args: never[]) => unknown> = (input: Parameters<F>[0]) => ReturnType<F>

/** `useAmplify().API`: Amplify's REST verbs and GraphQL with the browser's signatures on both sides. */
export interface AmplifyAPI {
  get: Rest<typeof clientApi.get>
  post: Rest<typeof clientApi.post>
  put: Rest<typeof clientApi.put>
  del: Rest<typeof clientApi.del>
  head: Rest<typeof clientApi.head>
  patch: Rest<typeof clientApi.patch>
  /** GraphQL with the default client (`API.GraphQL.defaultAuthMode`); pass `authMode` per call. Subscriptions: browser only. */
  graphql: Client['graphql']
}

export function serverApiApis(run: AmplifyRunner, context: AmplifyRequestContext, resources: () => ResourcesConfig): AmplifyAPI {
  return {
    get: input => runOperation(run, ctx => serverApi.get(ctx, input)),
    post: input => runOperation(run, ctx => serverApi.post(ctx, input)),
    put: input => runOperation(run, ctx => serverApi.put(ctx, input)),
    del: input => runOperation(run, ctx => serverApi.del(ctx, input)),
    head: input => runOperation(run, ctx => serverApi.head(ctx, input)),
    patch: input => runOperation(run, ctx => serverApi.patch(ctx, input)),
    // The request's one client, shared with getAmplifyGraphQLClient(event) in server routes.
    graphql: ((options: never, headers?: never) =>
      requestGraphQLClient(context, resources()).graphql(options, headers)) as unknown as Client['graphql'],
  }
}

type GraphQLCall = (options: never, headers?: never) => unknown

// One client for the page's lifetime. Typed loosely here: Amplify's Gen2 model types are too deep to compare.
let browserGraphQL: GraphQLCall | undefined
function browserGraphQLCall(): GraphQLCall {
  if (!browserGraphQL) {
    const client = clientApi.generateClient() as unknown as { graphql: GraphQLCall }
    browserGraphQL = (options, headers) => client.graphql(options, headers)
  }
  return browserGraphQL
}

export function clientApiApis(): AmplifyAPI {
  return {
    get: clientApi.get,
    post: clientApi.post,
    put: clientApi.put,
    del: clientApi.del,
    head: clientApi.head,
    patch: clientApi.patch,
    graphql: ((options: never, headers?: never) => browserGraphQLCall()(options, headers)) as unknown as Client['graphql'],
  }
}
