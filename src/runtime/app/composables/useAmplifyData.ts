import { resolveResources } from '../../shared/config'
import { assertBrowserAuthMode, browserDataClient, serverDataClient } from '../utils/amplify-data'
import type { AmplifyData } from '../utils/amplify-data'
import type { AmplifyDataClientOptions } from '../../server/lib/amplify/data-client'
import { useAmplifyPublicConfig } from '../utils/config'
import { tryUseNuxtApp, useRequestEvent } from '#imports'

export type { AmplifyData, AmplifyDataClientOptions }

/**
 * The Gen2 data client of the app's `Schema`, with one call shape on both sides: during SSR the request's client (the
 * visitor's session, shared with `getAmplifyDataClient(event)` in routes), in the browser Amplify's
 * `generateClient<Schema>()` from `aws-amplify/data`. Results are Amplify's own `{ data, errors, nextToken }`; records
 * rendered on the server reach the page as plain data (relationship loaders stay on the server: select related
 * fields with `selectionSet`). Subscriptions are browser-only. With `amplify.serverAuth`, browser calls need
 * `authMode: 'apiKey'` or `'lambda'`; others go through a server route.
 *
 * @example
 * import type { Schema } from '~~/amplify/data/resource'
 * const { data: todos } = await useAsyncData('todos', () => useAmplifyData<Schema>().models.Todo.list())
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Amplify's own constraint on a schema type
export function useAmplifyData<Schema extends Record<any, any>, Options extends AmplifyDataClientOptions = AmplifyDataClientOptions>(
  options?: Options,
): AmplifyData<Schema, Options> {
  const config = useAmplifyPublicConfig()
  if (import.meta.server) {
    // Nuxt's instance is only known before the first `await` of a setup or `useAsyncData` handler.
    if (!tryUseNuxtApp()) {
      throw new Error('[nuxt-amplify-ssr] useAmplifyData() was called after an `await`, where Nuxt no longer knows the request: '
        + 'call it once before the first await (`const { models } = useAmplifyData<Schema>()`) and use the client after.')
    }
    const context = useRequestEvent()?.context.amplify
    if (!context) throw new Error('[nuxt-amplify-ssr] useAmplifyData() needs a request on the server: call it during SSR (setup, useAsyncData).')
    return serverDataClient(context, resolveResources(config), options)
  }
  if (config.serverAuth?.enabled) assertBrowserAuthMode(options ?? {})
  return browserDataClient(resolveResources(config), options) as AmplifyData<Schema, Options>
}
