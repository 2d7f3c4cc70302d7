// The module's public types: what the app's type template imports (never an internal `lib/` path), and what
// server routes and plugins of an app may name.
export type { AmplifyOperation, AmplifyRequestContext, AmplifyRunner } from './server/lib/amplify/request-context'
export type { AmplifyGraphQLClient, AmplifyGraphQLClientOptions } from './server/lib/amplify/graphql-client'
export type { AmplifyDataClient, AmplifyDataClientOptions } from './server/lib/amplify/data-client'
export type { AmplifyData } from './app/utils/amplify-data'
export type {
  AmplifyPublicRuntimeConfig,
  AmplifyRuntimeConfig,
  AuthRuntimeConfig,
  CookieRuntimeConfig,
  ServerAuthRuntimeConfig,
} from './shared/config'
