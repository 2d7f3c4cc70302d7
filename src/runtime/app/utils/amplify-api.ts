import type * as clientApi from 'aws-amplify/api'
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
