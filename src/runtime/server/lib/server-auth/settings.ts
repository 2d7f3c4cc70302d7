import { useRuntimeConfig } from 'nitropack/runtime'
import type { H3Event } from 'h3'
import { AmplifyConfigError, cognitoServiceUrl, resolveRegion } from '../../../shared/config'
import type { CookieRuntimeConfig, AmplifyPublicRuntimeConfig } from '../../../shared/config'
import { useAmplifyServerSettings } from '../amplify/server-settings'
import type { TokenVerifier } from '../tokens/token-verifier'

const DEFAULT_SCOPES = 'openid email profile aws.cognito.signin.user.admin'

export interface HostedUISettings {
  /** Base URL, no trailing slash: `<domain>/oauth2/authorize`, `/oauth2/token`, `/signup`. */
  domain: string
  scopes: string
  /** Visited after sign-out, or `undefined` to skip the Hosted UI's own session. */
  logoutUrl?: string
}

export interface ServerAuthSettings {
  basePath: string
  /** The app's public origin when configured; else each request's own. */
  origin?: string
  clientId: string
  /** Cognito's JSON API: the custom `userPoolEndpoint`, else the region's. */
  cognitoEndpoint?: string
  hostedUI?: HostedUISettings
  redirectSignIn: string
  redirectSignOut: string
  loginPath: string
  redirectQueryKey: string
  cookies: CookieRuntimeConfig
  verifier: TokenVerifier
}

let settings: ServerAuthSettings | undefined

function httpUrl(value: string, name: string): string {
  const url = /^https?:\/\//.test(value) ? value : `https://${value}`
  if (!URL.canParse(url)) throw new AmplifyConfigError(`amplify.serverAuth: ${name} must be a URL or a host name, got "${value}".`)
  return url.replace(/\/+$/, '')
}

type OAuthConfig = { domain?: string, scopes?: string[] } | undefined

function hostedUI(config: AmplifyPublicRuntimeConfig, oauth: OAuthConfig): HostedUISettings | undefined {
  const options = config.serverAuth!.hostedUI
  const domain = options.domain || oauth?.domain
  if (!domain) return undefined
  const base = httpUrl(domain, 'hostedUI.domain')
  const logoutUrl = options.logoutUrl === false || options.logoutUrl === 'false'
    ? undefined
    : options.logoutUrl ? httpUrl(options.logoutUrl, 'hostedUI.logoutUrl') : `${base}/logout`
  return { domain: base, scopes: options.scopes || oauth?.scopes?.join(' ') || DEFAULT_SCOPES, logoutUrl }
}

/** `amplify.serverAuth` resolved once per process (from the first request's environment), on top of the module's server settings. */
export function useServerAuthSettings(event: H3Event): ServerAuthSettings {
  if (settings) return settings
  const runtimeConfig = useRuntimeConfig(event)
  const config = runtimeConfig.public.amplify
  const secrets = runtimeConfig.amplify
  const { resources, cookies, auth, verifier } = useAmplifyServerSettings(event)
  // resolveResources guarantees the client id; `oauth` is read for the Hosted UI's defaults.
  const cognito = resources.Auth!.Cognito as { userPoolClientId: string, userPoolEndpoint?: string, loginWith?: { oauth?: OAuthConfig } }
  const region = resolveRegion(config, resources)
  const origin = secrets.serverAuth?.origin
  if (origin && !/^https?:\/\/[^/]+$/.test(origin)) {
    throw new AmplifyConfigError(`amplify.serverAuth.origin must be an origin such as https://app.example.com (no path), got "${origin}".`)
  }
  settings = {
    basePath: config.serverAuth!.basePath,
    origin: origin || undefined,
    clientId: cognito.userPoolClientId,
    cognitoEndpoint: cognito.userPoolEndpoint || (region ? `${cognitoServiceUrl(region)}/` : undefined),
    hostedUI: hostedUI(config, cognito.loginWith?.oauth),
    redirectSignIn: config.serverAuth!.redirectSignIn || auth.homePath,
    redirectSignOut: config.serverAuth!.redirectSignOut || auth.homePath,
    loginPath: auth.loginPath,
    redirectQueryKey: auth.redirectQueryKey,
    cookies,
    verifier,
  }
  return settings
}
