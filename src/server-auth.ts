// Build-time half of `amplify.serverAuth`: options, runtime config and the auth routes.
import { addServerHandler } from '@nuxt/kit'
import type { ServerAuthRuntimeConfig } from './runtime/shared/config'

export interface ServerAuthOptions {
  /**
   * Sign in on the server and keep the tokens in HttpOnly cookies, out of reach of the browser's scripts.
   * Adds the auth routes under `basePath`; Amplify's browser sign-in APIs are then replaced by those routes.
   * @default false
   */
  enabled?: boolean
  /**
   * Where the auth routes live: `<basePath>/sign-in`, `/sign-up`, `/callback`, `/sign-out`, `/session`, `/attributes`.
   * @default '/api/auth'
   */
  basePath?: string
  /** Page after sign-in when the user did not ask for one (`?redirect=`). @default auth.homePath */
  redirectSignIn?: string
  /**
   * Page after sign-out; with the Hosted UI, `<origin><redirectSignOut>` must be one of the client's sign-out URLs.
   * @default auth.homePath
   */
  redirectSignOut?: string
  /**
   * The app's public origin (`https://app.example.com`), used for the Hosted UI callback URL and to check the
   * `Origin` of sign-in/sign-out posts. Set it behind a proxy that changes the host or the scheme; also
   * `NUXT_AMPLIFY_SERVER_AUTH_ORIGIN` at run time.
   * @default the origin each request was made to
   */
  origin?: string
  /**
   * Where the session lives. `'cookies'`: Amplify's token cookies, HttpOnly (3–6 KB per request). `'storage'`: the
   * tokens stay on the server, in Nitro storage `amplify-sessions` (mount a shared driver such as Redis with
   * `nitro.storage` when the app runs on more than one instance; memory otherwise), and the browser holds one opaque
   * session-id cookie; sign-out then ends the session everywhere at once.
   * @default 'cookies'
   */
  store?: 'cookies' | 'storage'
  /** Cognito's Hosted UI (OAuth 2.0 code flow with PKCE). Enabled when a domain is known, here or in the Amplify config. */
  hostedUI?: {
    /**
     * The Hosted UI's base URL or host (`auth.example.com`, `https://my-app.auth.eu-west-1.amazoncognito.com`);
     * `/oauth2/authorize`, `/oauth2/token`, `/signup` and `/logout` are under it. Also `NUXT_PUBLIC_AMPLIFY_SERVER_AUTH_HOSTED_UI_DOMAIN`.
     * @default the Amplify config's `oauth.domain`, else no Hosted UI
     */
    domain?: string
    /**
     * OAuth scopes. Keep `aws.cognito.signin.user.admin` for `fetchUserAttributes`.
     * @default the Amplify config's `oauth.scopes`, else ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin']
     */
    scopes?: string[]
    /** The Hosted UI logout endpoint visited after sign-out, or `false` to skip it. @default '<domain>/logout' */
    logoutUrl?: string | false
  }
}

function normalizePath(path: string, name: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new Error(`[nuxt-amplify-ssr] amplify.serverAuth.${name} must be a path starting with "/", got "${path}".`)
  }
  return path.length > 1 ? path.replace(/\/+$/, '') : path
}

/** The public runtime config of `serverAuth` (off: only `enabled: false`, so that the app side knows). */
export function serverAuthRuntimeConfig(options: ServerAuthOptions = {}): ServerAuthRuntimeConfig {
  return {
    enabled: !!options.enabled,
    basePath: normalizePath(options.basePath ?? '/api/auth', 'basePath'),
    redirectSignIn: options.redirectSignIn ? normalizePath(options.redirectSignIn, 'redirectSignIn') : '',
    redirectSignOut: options.redirectSignOut ? normalizePath(options.redirectSignOut, 'redirectSignOut') : '',
    hostedUI: {
      domain: options.hostedUI?.domain ?? '',
      scopes: options.hostedUI?.scopes?.join(' ') ?? '',
      logoutUrl: options.hostedUI?.logoutUrl ?? '',
    },
  }
}

const ROUTES = [
  ['sign-in', 'get'],
  ['sign-in', 'post'],
  ['sign-up', 'get'],
  ['callback', 'get'],
  ['sign-out', 'post'],
  ['session', 'get'],
  ['attributes', 'get'],
] as const

/** `serverAuth.store`, checked: the store keeps sessions that the server signs in, so it needs `enabled`. */
export function sessionStoreMode(options: ServerAuthOptions = {}): 'cookies' | 'storage' {
  const store = options.store ?? 'cookies'
  if (store !== 'cookies' && store !== 'storage') {
    throw new Error(`[nuxt-amplify-ssr] amplify.serverAuth.store must be 'cookies' or 'storage', got "${String(store)}".`)
  }
  if (store === 'storage' && !options.enabled) {
    throw new Error('[nuxt-amplify-ssr] amplify.serverAuth.store: \'storage\' needs amplify.serverAuth.enabled: the browser cannot sign in to a server-side store.')
  }
  return store
}

/** Registers the auth routes under `basePath`. */
export function addServerAuthRoutes(basePath: string, resolve: (path: string) => string): void {
  for (const [name, method] of ROUTES) {
    addServerHandler({ route: `${basePath}/${name}`, method, handler: resolve(`./runtime/server/routes/auth/${name}.${method}`) })
  }
}
