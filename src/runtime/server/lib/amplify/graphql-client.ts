// One GraphQL client per request, bound to that request's Amplify context. Shared by the server util
// (`getAmplifyGraphQLClient`) and by `useAmplify().API.graphql` during SSR, so a request that uses both still
// makes one client. No Nitro imports: the Vue app's server bundle loads this file too.
import { generateClient } from 'aws-amplify/api/server'
import type { ResourcesConfig } from 'aws-amplify'
import type { Client } from 'aws-amplify/api'
import type { AmplifyRequestContext } from './request-context'
import { perRequestClients } from './request-clients'

/** What `generateClient` accepts besides `config`: `authMode`, `authToken`, `apiKey`, `endpoint`, `headers`. */
export type AmplifyGraphQLClientOptions = Omit<Parameters<typeof generateClient>[0], 'config'>

/**
 * Amplify's GraphQL client with the browser client's signature, `graphql(options, additionalHeaders?)`:
 * each call runs in the request's Amplify context (its user's tokens and credentials).
 */
export interface AmplifyGraphQLClient {
  graphql: Client['graphql']
}

type GraphQLDocument = string | { definitions?: readonly { kind: string, operation?: string }[] }

/** Subscriptions need a WebSocket to AppSync for as long as the page lives: a browser's job, not a request's. */
export function isSubscription(query: GraphQLDocument): boolean {
  if (typeof query !== 'string') return Boolean(query?.definitions?.some(d => d.operation === 'subscription'))
  return /(?:^|\})\s*subscription\b/.test(query.replace(/#[^\n]*/g, ''))
}

export class GraphQLSubscriptionOnServerError extends Error {
  override name = 'GraphQLSubscriptionOnServerError'
  constructor() {
    super('[nuxt-amplify-ssr] GraphQL subscriptions run in the browser only: subscribe in onMounted (or a client-only plugin) '
      + 'with useAmplify().API.graphql or generateClient() from aws-amplify/api.')
  }
}

function createClient(context: AmplifyRequestContext, config: ResourcesConfig, options: AmplifyGraphQLClientOptions): AmplifyGraphQLClient {
  const client = generateClient({ config, ...options } as Parameters<typeof generateClient>[0])
  const graphql = (options: Parameters<Client['graphql']>[0], additionalHeaders?: Parameters<Client['graphql']>[1]) => {
    if (isSubscription(options.query as GraphQLDocument)) return Promise.reject(new GraphQLSubscriptionOnServerError())
    return context.run(contextSpec => client.graphql(contextSpec, options as never, additionalHeaders) as Promise<unknown>)
  }
  return { graphql: graphql as Client['graphql'] }
}

/**
 * The request's GraphQL client for these options, made on first use and reused for the rest of the request.
 * `config` only matters for Gen2 model introspection; endpoints and auth come from the request's context.
 */
export const requestGraphQLClient = perRequestClients(createClient)
