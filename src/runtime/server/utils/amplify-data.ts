import type { H3Event } from 'h3'
import { useAmplifyRequestContext } from '../lib/amplify/request-context'
import { requestDataClient } from '../lib/amplify/data-client'
import type { AmplifyDataClient, AmplifyDataClientOptions } from '../lib/amplify/data-client'
import { useAmplifyServerSettings } from '../lib/amplify/server-settings'
import { createAmplifyError } from './amplify-errors'

type Operation = (...args: unknown[]) => Promise<{ errors?: unknown[] }>

/** A result with `errors` fails the route: Amplify resolves model calls with them (401, `Unauthorized`…) instead of rejecting. */
function failOnErrors(operation: Operation): Operation {
  return (...args) => operation(...args).then(
    (result) => {
      if (result?.errors?.length) throw createAmplifyError(result)
      return result
    },
    (error: unknown) => {
      throw createAmplifyError(error)
    },
  )
}

/** `group.op(…)` (and `group.Model.op(…)` at depth 2) with failOnErrors; other members as they are. */
function failingGroup<T extends object>(group: T, depth: number): T {
  return new Proxy(group, {
    get(target, name, receiver) {
      const member = Reflect.get(target, name, receiver)
      if (typeof member === 'function') return failOnErrors(member.bind(target))
      return depth > 1 && member && typeof member === 'object' ? failingGroup(member, depth - 1) : member
    },
  })
}

/** The request's route client per data client: lives as long as the request's client. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client of any schema
const routeClients = new WeakMap<object, any>()

/**
 * The request's Gen2 data client for the app's `Schema`, made once per request and options and bound to the request's
 * Amplify context: `client.models.Todo.list()`, `client.queries.echo({ text })`, `client.mutations…`, `client.enums`,
 * `client.graphql()` with no context argument, with the signed-in user's (or a guest's) rights. Options and per-call
 * `authMode` as in Amplify's `generateClient`. A call whose result has `errors` throws an h3 error, as
 * `getAmplifyGraphQLClient` does: no session 401, `Unauthorized` 403, other GraphQL errors 502 (the result is `cause`).
 * Subscriptions (`onCreate`, `observeQuery`…) are the browser's: they throw here.
 *
 * @example
 * import type { Schema } from '~~/amplify/data/resource'
 * export default defineEventHandler(async (event) => {
 *   const { data } = await getAmplifyDataClient<Schema>(event).models.Todo.list()
 *   return data
 * })
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Amplify's own constraint on a schema type
export function getAmplifyDataClient<Schema extends Record<any, any>, Options extends AmplifyDataClientOptions = AmplifyDataClientOptions>(
  event: H3Event,
  options?: Options,
): AmplifyDataClient<Schema, Options> {
  const client = requestDataClient(useAmplifyRequestContext(event), useAmplifyServerSettings().resources, options)
  let routeClient = routeClients.get(client)
  if (!routeClient) {
    routeClient = {
      ...client,
      graphql: failOnErrors(client.graphql as never),
      models: failingGroup(client.models, 2),
      queries: failingGroup(client.queries, 1),
      mutations: failingGroup(client.mutations, 1),
    }
    routeClients.set(client, routeClient)
  }
  return routeClient
}

export type { AmplifyDataClient, AmplifyDataClientOptions }
