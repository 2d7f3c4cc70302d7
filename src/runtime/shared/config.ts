import type { ResourcesConfig } from 'aws-amplify'
import type { JSONWebKeySet } from 'jose'
import type { AmplifyAuthRule } from './access-rule'

/** Fields of the Amplify resources that environment variables may override at run time. */
export interface AmplifyOverrides {
  region: string
  userPoolId: string
  userPoolClientId: string
  identityPoolId: string
  userPoolEndpoint: string
  identityPoolEndpoint: string
}

export interface CookieRuntimeConfig {
  domain?: string
  path: string
  sameSite: 'lax' | 'strict' | 'none'
  /** `undefined`: secure everywhere except on plain-HTTP loopback hosts. */
  secure?: boolean
  maxAge?: number
  /** Set by `serverAuth`: tokens are then written HttpOnly, out of reach of the browser's scripts. */
  httpOnly?: boolean
}

export interface AuthRuntimeConfig {
  loginPath: string
  homePath: string
  redirectQueryKey: string
  global: boolean
  /** Where signed-in users without the group a page asks for are sent; '' = Nuxt's error page with status 403. */
  forbiddenPath?: string
  /** The `amplifyAuth` values of the app's `routeRules`, by pattern, collected at build time. */
  routeRules?: Record<string, AmplifyAuthRule>
  /** '' stands for Amplify's default, so that the key exists for env overrides. */
  signInFlow?: 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | ''
}

/** `amplify.serverAuth` as carried in the public runtime config ('' = not set, so that env can override). */
export interface ServerAuthRuntimeConfig {
  enabled: boolean
  basePath: string
  /** Page after sign-in when none was asked for; '' = `auth.homePath`. */
  redirectSignIn: string
  /** Page after sign-out; '' = `auth.homePath`. */
  redirectSignOut: string
  hostedUI: {
    /** Base URL of the Hosted UI; '' = from the Amplify config's `oauth.domain`, else no Hosted UI. */
    domain: string
    /** Space-separated; '' = the Amplify config's `oauth.scopes`, else openid email profile aws.cognito.signin.user.admin. */
    scopes: string
    /** '' = `<domain>/logout`; `false` = do not visit the Hosted UI on sign-out. */
    logoutUrl: string | false
  }
}

/** What the module puts in `runtimeConfig.public.amplify`. */
export interface AmplifyPublicRuntimeConfig extends AmplifyOverrides {
  resources: ResourcesConfig
  cookies: CookieRuntimeConfig
  auth: AuthRuntimeConfig
  /** Absent in configs written before `serverAuth` existed (unit tests build configs by hand). */
  serverAuth?: ServerAuthRuntimeConfig
}

/** What the module puts in the server-only `runtimeConfig.amplify` ('' = not set, so that env can override). */
export interface AmplifyRuntimeConfig {
  /** `NUXT_AMPLIFY_TOKEN_ISSUER`; '' = the pool's issuer. */
  tokenIssuer: string
  /** `NUXT_AMPLIFY_JWKS_URI`; '' = `<issuer>/.well-known/jwks.json`. */
  jwksUri: string
  /** `amplify.tokens.jwks` (or `NUXT_AMPLIFY_JWKS`, JSON); `{ keys: [] }` = fetched from `jwksUri` on first use. */
  jwks: JSONWebKeySet
  /** `Cache-Control` of responses that carry a signed-in user; '' leaves it to the app. */
  cacheControl: string
  serverAuth: {
    /** `NUXT_AMPLIFY_SERVER_AUTH_ORIGIN`; '' = each request's own origin. */
    origin: string
    /** `serverAuth.store`: Amplify's cookies, or a session id over Nitro storage `amplify-sessions`. */
    store: 'cookies' | 'storage'
  }
}

export class AmplifyConfigError extends Error {
  override name = 'AmplifyConfigError'
}

/** Cognito user-pool ids are `<region>_<id>`; the emulator's are `local_<id>`. */
export function regionOfPool(userPoolId: string | undefined): string | undefined {
  const prefix = userPoolId?.split('_')[0]
  return prefix && prefix !== 'local' ? prefix : undefined
}

/**
 * Applies run-time overrides to the build-time resources and checks what the module cannot work without.
 * Throws an `AmplifyConfigError` that names the missing field.
 */
export function resolveResources(config: Pick<AmplifyPublicRuntimeConfig, 'resources'> & Partial<AmplifyOverrides>): ResourcesConfig {
  const base = config.resources ?? {}
  const cognito: Partial<Record<keyof AmplifyOverrides, string>> = { ...base.Auth?.Cognito }
  const overrides: (keyof AmplifyOverrides)[] = [
    'userPoolId', 'userPoolClientId', 'identityPoolId', 'userPoolEndpoint', 'identityPoolEndpoint',
  ]
  for (const key of overrides) {
    if (config[key]) cognito[key] = config[key]
  }
  const missing = (field: string, env: string) => new AmplifyConfigError(`amplify.config: \`Auth.Cognito.${field}\` is missing (or set ${env}).`)
  if (!cognito.userPoolId) throw missing('userPoolId', 'NUXT_PUBLIC_AMPLIFY_USER_POOL_ID')
  if (!cognito.userPoolClientId) throw missing('userPoolClientId', 'NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID')
  if (!cognito.identityPoolId) delete cognito.identityPoolId
  for (const key of ['userPoolEndpoint', 'identityPoolEndpoint'] as const) {
    const value = cognito[key]
    if (value && !/^https?:\/\/[^/]/.test(value)) {
      throw new AmplifyConfigError(`amplify.config: \`Auth.Cognito.${key}\` must be an http(s) URL, got "${value}".`)
    }
  }
  return { ...base, Auth: { ...base.Auth, Cognito: cognito } } as ResourcesConfig
}

/** Amazon Cognito's user-pool service in a region: its JSON API, and the base of its issuers (`<url>/<poolId>`). */
export const cognitoServiceUrl = (region: string | undefined) => `https://cognito-idp.${region}.amazonaws.com`

/** The region of the user pool: an explicit override, else the pool id's prefix. */
export function resolveRegion(config: AmplifyPublicRuntimeConfig, resources: ResourcesConfig): string | undefined {
  return config.region || regionOfPool(resources.Auth?.Cognito.userPoolId)
}
