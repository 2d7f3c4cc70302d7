// Peer G: the server side of Amplify's Nuxt 3 guide, as the guide writes it (`server/utils/amplifyUtils.ts`): a
// cookie adapter over h3, fresh providers for every call, `runWithAmplifyServerContext`. The guide checks no token
// signature; peer H passes the Next.js adapter's validator as the storage's second argument.
// h3's helpers are imported rather than auto-imported so that bench/instructions/ can run the same file outside Nitro.
import { deleteCookie, parseCookies, setCookie } from 'h3'
import type { H3Event } from 'h3'
import {
  createAWSCredentialsAndIdentityIdProvider,
  createKeyValueStorageFromCookieStorageAdapter,
  createUserPoolsTokenProvider,
  runWithAmplifyServerContext,
} from 'aws-amplify/adapter-core'
import type { AmplifyServer, CookieStorage, KeyValueStorageMethodValidator } from 'aws-amplify/adapter-core'
import type { ResourcesConfig } from 'aws-amplify'

function createCookieStorageAdapter(event: H3Event): CookieStorage.Adapter {
  const readOnlyCookies = parseCookies(event)
  return {
    get(name) {
      if (readOnlyCookies[name]) return { name, value: readOnlyCookies[name] }
    },
    set(name, value, options) {
      setCookie(event, name, value, options)
    },
    delete(name) {
      deleteCookie(event, name)
    },
    getAll() {
      return Object.entries(readOnlyCookies).map(([name, value]) => ({ name, value }))
    },
  }
}

/** The guide's `runAmplifyApi(event, operation)` for one Amplify config; `validator` makes it peer H. */
export function createGuideRunner(config: ResourcesConfig, validator?: KeyValueStorageMethodValidator) {
  const createLibraryOptions = (event: H3Event) => {
    const cookieStorage = createCookieStorageAdapter(event)
    const keyValueStorage = createKeyValueStorageFromCookieStorageAdapter(cookieStorage, validator)
    const tokenProvider = createUserPoolsTokenProvider(config.Auth!, keyValueStorage)
    const credentialsProvider = createAWSCredentialsAndIdentityIdProvider(config.Auth!, keyValueStorage)
    return { Auth: { tokenProvider, credentialsProvider } }
  }
  return <Result>(event: H3Event, operation: (contextSpec: AmplifyServer.ContextSpec) => Result | Promise<Result>) =>
    runWithAmplifyServerContext<Result>(config, createLibraryOptions(event), operation)
}
