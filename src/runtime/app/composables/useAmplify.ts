import { resolveResources } from '../../shared/config'
import { serverApiApis } from '../utils/amplify-api'
import type { AmplifyAPI } from '../utils/amplify-api'
import { serverAuthApis } from '../utils/amplify-auth'
import type { AmplifyAuth } from '../utils/amplify-auth'
import { serverStorageApis } from '../utils/amplify-storage'
import type { AmplifyStorage } from '../utils/amplify-storage'
import { useAmplifyPublicConfig } from '../utils/config'
import { useAmplifyServerContext } from './useAmplifyServerContext'
import { browserApis as buildBrowserApis } from '#amplify-client-apis'
import { useRequestEvent } from '#imports'

export interface AmplifyApis {
  Auth: AmplifyAuth
  API: AmplifyAPI
  Storage: AmplifyStorage
}

export type { AmplifyAPI, AmplifyAuth, AmplifyStorage }

let browserApis: AmplifyApis | undefined

/**
 * Amplify's APIs with one signature on both sides: on the server each call runs in the current request's
 * context (`aws-amplify/<category>/server`, the request's user and credentials), in the browser it is Amplify's
 * client API — or, with `amplify.serverAuth`, the module's auth routes (the tokens are HttpOnly; `fetchAuthSession`
 * is server-only then). Options and results are Amplify's own. Browser-only APIs (sign-in, downloads, subscriptions) throw
 * on the server with a message that names what to use there.
 *
 * @example
 * const { data: attributes } = await useAsyncData(() => useAmplify().Auth.fetchUserAttributes())
 * const { data: files } = await useAsyncData(() => useAmplify().Storage.list({ path: 'public/' }))
 * const { data: notes } = await useAsyncData(() => useAmplify().API.graphql({ query: listNotes }))
 */
export function useAmplify(): AmplifyApis {
  if (import.meta.server) {
    const run = useAmplifyServerContext()
    const context = useRequestEvent()!.context.amplify!
    const config = useAmplifyPublicConfig()
    return {
      Auth: serverAuthApis(run),
      API: serverApiApis(run, context, () => resolveResources(config)),
      Storage: serverStorageApis(run),
    }
  }
  // Only the APIs the app's sources name (amplify.clientApis), so that the others stay out of the bundle.
  return browserApis ??= buildBrowserApis(useAmplifyPublicConfig())
}
