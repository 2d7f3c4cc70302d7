// The two sides of `useAmplifyData()`: the request's data client during SSR, Amplify's browser client after hydration.
import { generateClient } from 'aws-amplify/data'
import type { ResourcesConfig } from 'aws-amplify'
import { assertDataConfig, requestDataClient } from '../../server/lib/amplify/data-client'
import type { AmplifyDataClientOptions } from '../../server/lib/amplify/data-client'
import type { AmplifyRequestContext } from '../../server/lib/amplify/request-context'

/** The Gen2 data client of `useAmplifyData<Schema>()`: the browser client's type, on both sides. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Amplify's own constraint on a schema type
export type AmplifyData<Schema extends Record<any, any>, Options extends AmplifyDataClientOptions = AmplifyDataClientOptions>
  = ReturnType<typeof generateClient<Schema, Options>>

type Result = { data?: unknown }

/**
 * Relationship loaders (`todo.comments()`) work on the server for the rest of the request, but a function cannot travel
 * in Nuxt's payload: kept as non-enumerable properties, the page receives the plain record.
 */
function hideLoaders(record: unknown) {
  if (!record || typeof record !== 'object') return
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'function') Object.defineProperty(record, key, { value, enumerable: false })
  }
}

function withPlainResults<T extends object>(model: T): T {
  return new Proxy(model, {
    get(target, op, receiver) {
      const member = Reflect.get(target, op, receiver)
      if (typeof member !== 'function') return member
      return (...args: unknown[]) => {
        const result = member.apply(target, args)
        if (!(result instanceof Promise)) return result
        return result.then((answer: Result) => {
          const data = answer?.data
          for (const record of Array.isArray(data) ? data : [data]) hideLoaders(record)
          return answer
        })
      }
    },
  })
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client of any schema
const pageClients = new WeakMap<object, any>()

/** The request's client, with model results that serialise into the payload. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any client of any schema
export function serverDataClient(context: AmplifyRequestContext, config: ResourcesConfig, options?: AmplifyDataClientOptions): any {
  const client = requestDataClient(context, config, options)
  let pageClient = pageClients.get(client)
  if (!pageClient) {
    const models = new Proxy(client.models, {
      get: (target, name, receiver) => {
        const model = Reflect.get(target, name, receiver)
        return model && typeof model === 'object' ? withPlainResults(model) : model
      },
    })
    pageClients.set(client, pageClient = { ...client, models })
  }
  return pageClient
}

/** Tokens in HttpOnly cookies (`serverAuth`): the browser can only call the API with modes that need no user token. */
const BROWSER_MODES_WITH_SERVER_AUTH = new Set(['apiKey', 'lambda'])

export function assertBrowserAuthMode(options: AmplifyDataClientOptions) {
  if (BROWSER_MODES_WITH_SERVER_AUTH.has(options.authMode ?? '')) return
  throw new Error('[nuxt-amplify-ssr] useAmplifyData() in the browser cannot sign requests as the user with amplify.serverAuth: the '
    + 'tokens are HttpOnly cookies. Read data during SSR, or call a server route that uses getAmplifyDataClient(event) '
    + '(e.g. $fetch(\'/api/todos\', { method: \'POST\' })); in the browser, useAmplifyData({ authMode: \'apiKey\' }) works.')
}

const browserClients = new Map<string, unknown>()

/** One browser client per options for the page's lifetime (Amplify is configured by the module's client plugin). */
export function browserDataClient(config: ResourcesConfig, options: AmplifyDataClientOptions = {}): unknown {
  const key = typeof options.headers === 'function' ? undefined : JSON.stringify(options)
  const cached = key === undefined ? undefined : browserClients.get(key)
  if (cached) return cached
  assertDataConfig(config)
  const client = generateClient(options)
  if (key !== undefined) browserClients.set(key, client)
  return client
}
