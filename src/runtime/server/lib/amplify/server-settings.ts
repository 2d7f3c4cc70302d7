import { useRuntimeConfig } from 'nitropack/runtime'
import type { ResourcesConfig } from 'aws-amplify'
import { resolveRegion, resolveResources } from '../../../shared/config'
import type { AmplifyAuthOptions, AmplifyCookieOptions, AmplifyPublicRuntimeConfig } from '../../../shared/config'
import { createTokenVerifier, defaultIssuer } from '../tokens/token-verifier'
import type { TokenVerifier } from '../tokens/token-verifier'

export interface AmplifyServerSetup {
  resources: ResourcesConfig
  /** The user-pool app client whose cookies and tokens this app accepts. */
  clientId: string
  cookies: AmplifyCookieOptions
  auth: AmplifyAuthOptions
  verifier: TokenVerifier
  /** `Cache-Control` of responses that carry a signed-in user; '' leaves it to the app. */
  cacheControl: string
}

let setup: AmplifyServerSetup | undefined

/**
 * The module's server configuration, resolved once per process: `useRuntimeConfig()` re-reads the
 * environment and clones the config on each call, too slow for every request.
 */
export function useAmplifyServerSetup(): AmplifyServerSetup {
  if (setup) return setup
  const runtimeConfig = useRuntimeConfig()
  const config = runtimeConfig.public.amplify as AmplifyPublicRuntimeConfig
  const secrets = runtimeConfig.amplify as { tokenIssuer?: string, jwksUri?: string, cacheControl?: string | false }
  const resources = resolveResources(config)
  // resolveResources guarantees both ids.
  const cognito = resources.Auth!.Cognito as { userPoolId: string, userPoolClientId: string, userPoolEndpoint?: string }
  const issuer = secrets.tokenIssuer || defaultIssuer(cognito.userPoolId, resolveRegion(config, resources), cognito.userPoolEndpoint)
  setup = {
    resources,
    clientId: cognito.userPoolClientId,
    cookies: config.cookies,
    auth: config.auth,
    cacheControl: secrets.cacheControl || '',
    verifier: createTokenVerifier({
      issuer,
      jwksUri: secrets.jwksUri || `${issuer}/.well-known/jwks.json`,
      clientId: cognito.userPoolClientId,
    }),
  }
  return setup
}
