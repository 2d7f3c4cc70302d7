import { useRuntimeConfig } from 'nitropack/runtime'
import type { H3Event } from 'h3'
import type { ResourcesConfig } from 'aws-amplify'
import { resolveRegion, resolveResources } from '../../../shared/config'
import type { AuthRuntimeConfig, CookieRuntimeConfig } from '../../../shared/config'
import { createTokenVerifier, defaultIssuer } from '../tokens/token-verifier'
import type { TokenVerifier } from '../tokens/token-verifier'

export interface AmplifyServerSettings {
  resources: ResourcesConfig
  /** The user-pool app client whose cookies and tokens this app accepts. */
  clientId: string
  cookies: CookieRuntimeConfig
  auth: AuthRuntimeConfig
  verifier: TokenVerifier
  /** `Cache-Control` of responses that carry a signed-in user; '' leaves it to the app. */
  cacheControl: string
}

let settings: AmplifyServerSettings | undefined
let forRequest = false

/**
 * The module's server configuration, resolved once per process: `useRuntimeConfig()` re-reads the
 * environment and clones the config on each call, too slow for every request. Resolved once more for the first
 * request: on Cloudflare Workers the environment (`NUXT_*` variables) arrives with it, so what was read without one
 * (at start, or on a WebSocket upgrade) may lack it. Kept in between all the same: a fresh verifier per call would
 * check every token's signature again.
 */
export function useAmplifyServerSettings(event?: H3Event): AmplifyServerSettings {
  if (settings && (forRequest || !event)) return settings
  const runtimeConfig = useRuntimeConfig(event)
  const config = runtimeConfig.public.amplify
  const secrets = runtimeConfig.amplify
  const resources = resolveResources(config)
  // resolveResources guarantees both ids.
  const cognito = resources.Auth!.Cognito as { userPoolId: string, userPoolClientId: string, userPoolEndpoint?: string }
  const issuer = secrets.tokenIssuer || defaultIssuer(cognito.userPoolId, resolveRegion(config, resources), cognito.userPoolEndpoint)
  const resolved: AmplifyServerSettings = {
    resources,
    clientId: cognito.userPoolClientId,
    cookies: config.cookies,
    auth: config.auth,
    cacheControl: secrets.cacheControl || '',
    verifier: createTokenVerifier({
      issuer,
      jwksUri: secrets.jwksUri || `${issuer}/.well-known/jwks.json`,
      clientId: cognito.userPoolClientId,
      jwks: secrets.jwks,
    }),
  }
  settings = resolved
  forRequest = Boolean(event)
  return resolved
}
