// The module's public types: what the app's type template imports (never an internal `lib/` path), and what
// server routes and plugins of an app may name.
import type { AuthUser } from 'aws-amplify/auth'

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
export type { AmplifyAuthRule } from './shared/access-rule'
export type { AmplifyEventSource, AmplifyPeer, AmplifyUpgradeRequest } from './server/lib/http/websocket-event'

// Declared here rather than re-exported, so that an app can extend them through the `#amplify-ssr` alias:
// `declare module '#amplify-ssr' { interface AmplifySessionClaims { 'custom:tenant'?: string } }`.

/** The verified id token's claims: the user's attributes as Cognito put them in the token. */
export interface AmplifySessionClaims {
  'sub': string
  'cognito:username': string
  'email'?: string
  'email_verified'?: boolean
  'name'?: string
  'cognito:groups'?: string[]
  'exp'?: number
  'iat'?: number
  [claim: string]: unknown
}

/** What the app's `amplify:session` hook attaches to a session (a role from its database…); empty unless extended. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AmplifySessionData {}

/** The signed-in user's session, as `getAmplifySession(event)` and `useAmplifySession()` give it. */
export interface AmplifySession {
  user: AuthUser
  /** The verified access token's `cognito:groups`. */
  groups: string[]
  claims: AmplifySessionClaims
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt: number
  /** Filled by `amplify:session` hooks; reaches the browser in the page payload, like the rest of the session. */
  data: AmplifySessionData
}
