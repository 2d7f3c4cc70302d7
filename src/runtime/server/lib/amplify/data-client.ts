// One Gen2 data client (`client.models`, `queries`, `mutations`, `enums`, `graphql`) per request and options, bound to
// the request's Amplify context. It is Amplify's own cookie-style server client — the one `generateServerClientUsingCookies`
// of the Next.js adapter builds — whose calls take no context argument: each call runs in `context.run`, so it shares
// the request's storage and providers (one refresh, one set of cookies) with every other Amplify call of the request.
// No Nitro imports: the Vue app's server bundle loads this file too.
import { generateClientWithAmplifyInstance } from 'aws-amplify/api/internals'
import type { DefaultCommonClientOptions, V6ClientSSRCookies } from 'aws-amplify/api/internals'
import type { ResourcesConfig } from 'aws-amplify'
import { AmplifyConfigError } from '../../../shared/config'
import { GraphQLSubscriptionOnServerError, isSubscription } from './graphql-client'
import type { AmplifyRequestContext } from './request-context'
import { perRequestClients } from './request-clients'

/** What `generateClient` accepts besides `config`: `authMode`, `authToken`, `apiKey`, `headers`. */
export type AmplifyDataClientOptions = DefaultCommonClientOptions

/** The Gen2 data client of the app's `Schema` on the server: Amplify's calls without a context argument. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Amplify's own constraint on a schema type
export type AmplifyDataClient<Schema extends Record<any, any>, Options extends AmplifyDataClientOptions = AmplifyDataClientOptions>
  = V6ClientSSRCookies<Schema, Options>

/** Model operations that need a WebSocket for as long as the page lives. */
const SUBSCRIPTIONS = new Set(['onCreate', 'onUpdate', 'onDelete', 'observeQuery'])

export class DataSubscriptionOnServerError extends Error {
  override name = 'GraphQLSubscriptionOnServerError'
  constructor(operation: string) {
    super(`[nuxt-amplify-ssr] ${operation}() is a subscription: subscriptions run in the browser only. Subscribe in onMounted `
      + '(or a client-only plugin) with useAmplifyData(), or list the records on the server and subscribe after hydration.')
  }
}

/** The missing piece, named: a `Schema` client needs Gen2 outputs with a `data` section and its model introspection. */
export function assertDataConfig(config: ResourcesConfig): void {
  const graphql = config.API?.GraphQL
  if (!graphql?.endpoint) {
    throw new AmplifyConfigError('amplify.config has no data API: getAmplifyDataClient() and useAmplifyData() need the `data` section '
      + 'of amplify_outputs.json (`data.url`, `data.aws_region`, `data.default_authorization_type`; `API.GraphQL` in a ResourcesConfig).')
  }
  if (!graphql.modelIntrospection) {
    throw new AmplifyConfigError('amplify.config: `data.model_introspection` is missing from amplify_outputs.json (`API.GraphQL.modelIntrospection` '
      + 'in a ResourcesConfig): client.models needs it. `npx ampx sandbox` or `npx ampx generate outputs` writes it.')
  }
}

/** `client.models.Todo.onCreate` and the like, on the server: a clear error instead of `is not a function`. */
function withoutSubscriptions<T extends object>(models: T): T {
  return new Proxy(models, {
    get(target, name, receiver) {
      const model = Reflect.get(target, name, receiver)
      if (!model || typeof model !== 'object') return model
      return new Proxy(model, {
        get(modelTarget, op, modelReceiver) {
          if (typeof op === 'string' && SUBSCRIPTIONS.has(op)) {
            return () => {
              throw new DataSubscriptionOnServerError(`client.models.${String(name)}.${op}`)
            }
          }
          return Reflect.get(modelTarget, op, modelReceiver)
        },
      })
    },
  })
}

/** Typed loosely inside the module: Amplify's Gen2 model types are too deep to compare; the public functions type them. */
interface AnyDataClient {
  graphql: (options: { query: unknown }, headers?: unknown) => Promise<unknown>
  models: Record<string, Record<string, unknown>>
  queries: Record<string, unknown>
  mutations: Record<string, unknown>
  enums: Record<string, unknown>
}

function createClient(context: AmplifyRequestContext, config: ResourcesConfig, options: AmplifyDataClientOptions): AnyDataClient {
  assertDataConfig(config)
  // Amplify calls `amplify(fn)` for every operation and passes `fn` the context to sign and send with.
  const amplify = (fn: (contextSpec: never) => Promise<unknown>) => context.run(contextSpec => fn(contextSpec as never))
  const client = generateClientWithAmplifyInstance({ amplify, config, ...options } as never) as unknown as AnyDataClient
  const { graphql } = client
  return Object.assign(client, {
    graphql: (graphqlOptions: { query: unknown }, headers?: unknown) => isSubscription(graphqlOptions.query as string)
      ? Promise.reject(new GraphQLSubscriptionOnServerError())
      : graphql.call(client, graphqlOptions, headers),
    models: withoutSubscriptions(client.models),
  })
}

/** The request's data client for these options, made on first use and reused for the rest of the request. */
export const requestDataClient = perRequestClients(createClient)
