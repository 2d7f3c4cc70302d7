import type { ResourcesConfig } from 'aws-amplify'
import type { AmplifyRequestContext } from './request-context'

type CreateClient<C, O> = (context: AmplifyRequestContext, config: ResourcesConfig, options: O) => C

/** Options made only of plain values can be compared; a `headers` function makes a client of its own. */
function cacheKey(options: object): string | undefined {
  if (Object.values(options).some(value => typeof value === 'function')) return undefined
  return JSON.stringify(options)
}

/**
 * Clients made on first use per request and per options, and reused for the rest of the request: a page and the
 * routes it calls into share one client, and nothing outlives the request's context.
 */
export function perRequestClients<C, O extends object>(create: CreateClient<C, O>): (context: AmplifyRequestContext, config: ResourcesConfig, options?: O) => C {
  const clients = new WeakMap<AmplifyRequestContext, Map<string, C>>()
  return (context, config, options = {} as O) => {
    const key = cacheKey(options)
    if (key === undefined) return create(context, config, options)
    let byOptions = clients.get(context)
    if (!byOptions) clients.set(context, byOptions = new Map())
    let client = byOptions.get(key)
    if (!client) byOptions.set(key, client = create(context, config, options))
    return client
  }
}
