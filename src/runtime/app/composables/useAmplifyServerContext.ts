import type { AmplifyRunner } from '../../types'
import { useRequestEvent } from '#imports'

/**
 * On the server, a runner bound to the current request: `run(ctx => fetchUserAttributes(ctx))`, for SSR data
 * fetching with Amplify's server APIs (`aws-amplify/<category>/server`). Never keep the context beyond the callback.
 */
export function useAmplifyServerContext(): AmplifyRunner {
  if (import.meta.client) {
    throw new Error('[nuxt-amplify-ssr] useAmplifyServerContext() works on the server only. '
      + 'For code that runs in the browser too, use useAmplify() instead.')
  }
  const context = useRequestEvent()?.context.amplify
  if (!context) {
    throw new Error('[nuxt-amplify-ssr] useAmplifyServerContext() needs a request: call it during SSR (setup, useAsyncData, middleware).')
  }
  return operation => context.run(operation)
}
