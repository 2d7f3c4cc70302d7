import {
  addComponent,
  addImportsDir,
  addPlugin,
  addServerHandler,
  addRouteMiddleware,
  addServerImportsDir,
  addServerPlugin,
  addTypeTemplate,
  createResolver,
  defineNuxtModule,
  extendViteConfig,
  useLogger,
} from '@nuxt/kit'
import { defu } from 'defu'
import type { ResourcesConfig } from 'aws-amplify'
import type { JSONWebKeySet } from 'jose'
import { buildTimeJwksUri, loadResources, resolveJwks } from './config'
import type { AmplifyConfigInput, JwksOption } from './config'
import { appServerRoutes, collectAmplifyRouteRules } from './authorization'
import { addClientApis } from './client-apis'
import type { ClientApisOption } from './client-apis'
import { addDevtoolsTab, devtoolsEnabled } from './devtools'
import { AmplifyConfigError, resolveResources } from './runtime/shared/config'
import type { AmplifyPublicRuntimeConfig, AmplifyRuntimeConfig, AuthRuntimeConfig, CookieRuntimeConfig } from './runtime/shared/config'
import { addServerAuthRoutes, serverAuthRuntimeConfig, sessionStoreMode } from './server-auth'
import type { ServerAuthOptions } from './server-auth'
import type { AmplifyAuthRule } from './runtime/types'

// `routeRules` in nuxt.config.ts: Nuxt checks that file in its node context, which sees the modules' package types
// but not their type templates (the app and server contexts get the same augmentation from the template below).
// @nuxt/schema 4.6+ types the rules with RouteRuleConfigExtensions when no Nitro types are in the program.
declare module '@nuxt/schema' {
  interface RouteRuleConfigExtensions { amplifyAuth?: AmplifyAuthRule }
}
declare module 'nitropack' {
  interface NitroRouteConfig { amplifyAuth?: AmplifyAuthRule }
}
declare module 'nitropack/types' {
  interface NitroRouteConfig { amplifyAuth?: AmplifyAuthRule }
}

export interface ModuleOptions {
  /**
   * Amplify's outputs: a Gen2 `amplify_outputs.json` or Gen1 `amplifyconfiguration.json` object, a `ResourcesConfig`,
   * or the path of such a JSON file relative to the app root. Read at build time; pool ids and endpoints can be
   * overridden at run time with `NUXT_PUBLIC_AMPLIFY_*` variables.
   * @default './amplify_outputs.json'
   */
  config: string | AmplifyConfigInput
  /** Attributes of the auth cookies, on the server and in the browser alike. */
  cookies: {
    /** @default undefined (host-only) */
    domain?: string
    /** @default '/' */
    path?: string
    /** @default 'lax' */
    sameSite?: 'lax' | 'strict' | 'none'
    /** @default true, except for plain HTTP on localhost/127.0.0.1 */
    secure?: boolean
    /** Lifetime in seconds. @default 31536000 (Amplify's one year) */
    maxAge?: number
  }
  /** Route protection. */
  auth: {
    /** Where signed-out users are sent from protected pages. @default '/login' */
    loginPath?: string
    /** Where signed-in users are sent from guest-only pages. @default '/' */
    homePath?: string
    /** Query key that carries the page to return to after sign-in. @default 'redirect' */
    redirectQueryKey?: string
    /** Protect every page unless it says `definePageMeta({ amplifyAuth: false })`. @default false */
    global?: boolean
    /**
     * Where signed-in users without a group that a page asks for (`amplifyAuth: { groups }`) are sent.
     * @default undefined (Nuxt's error page, status 403)
     */
    forbiddenPath?: string
    /**
     * Sign-in flow of `useAmplify().Auth.signIn` in the browser: Amplify's default (SRP) for real Cognito,
     * `USER_PASSWORD_AUTH` for the local emulator, which has no SRP. @default undefined (Amplify's default)
     */
    signInFlow?: AuthRuntimeConfig['signInFlow']
  }
  /**
   * `Cache-Control` set on every response rendered for a signed-in user (SSR pages, API routes that read the user),
   * so that no shared cache stores one user's page for another. `false` leaves the header to the app.
   * @default 'private, no-store'
   */
  cacheControl: string | false
  /** Which tokens to trust. Defaults suit real Cognito and emulators reached through `userPoolEndpoint`. */
  tokens: {
    /**
     * Expected `iss`.
     * @default `<userPoolEndpoint>/<poolId>` when an endpoint is set, else `https://cognito-idp.<region>.amazonaws.com/<poolId>`
     */
    issuer?: string
    /** Where the signing keys are. @default `<issuer>/.well-known/jwks.json` */
    jwksUri?: string
    /**
     * The signing keys themselves (`{ keys: [...] }`), or `'build'` to fetch them from `jwksUri` at build time: then
     * a server checks tokens with no network at start (serverless cold starts).
     * @default undefined (fetched on each process's first signed-in request)
     */
    jwks?: JwksOption
  }
  /** Server-side sign-in with HttpOnly token cookies, auth routes and the Hosted UI. Off by default. */
  serverAuth: ServerAuthOptions
  /**
   * Which of `useAmplify()`'s APIs the browser bundle holds. `'used'`: those whose names (`uploadData`, `signIn`…)
   * occur in the app's source files, in every layer; the others throw when called, naming this option. A list
   * (`['Storage.uploadData']`) adds APIs that the app's files do not name, such as calls from an installed module or
   * by a computed name. `'all'`: every API. Development builds hold every API whatever the option says.
   * @default 'used'
   */
  clientApis: ClientApisOption
}

export default defineNuxtModule<ModuleOptions>({
  meta: { name: 'nuxt-amplify-ssr', configKey: 'amplify', compatibility: { nuxt: '>=3.13.0' } },
  defaults: {
    config: './amplify_outputs.json',
    cookies: { path: '/', sameSite: 'lax' },
    auth: { loginPath: '/login', homePath: '/', redirectQueryKey: 'redirect', global: false },
    tokens: {},
    cacheControl: 'private, no-store',
    serverAuth: { enabled: false, basePath: '/api/auth' },
    clientApis: 'used',
  },
  async setup(options, nuxt) {
    const logger = useLogger('nuxt-amplify-ssr')
    const { resolve } = createResolver(import.meta.url)

    let resources: ResourcesConfig = {}
    let jwks: JSONWebKeySet = { keys: [] }
    try {
      resources = loadResources(options.config, nuxt.options.rootDir, p => createResolver(nuxt.options.rootDir).resolve(p))
      // The ids may come from the environment at run time, as documented: then they are there at build time too.
      const env = (name: string) => process.env[`NUXT_PUBLIC_AMPLIFY_${name}`] ?? ''
      const resolved = resolveResources({
        resources, userPoolId: env('USER_POOL_ID'), userPoolClientId: env('USER_POOL_CLIENT_ID'), userPoolEndpoint: env('USER_POOL_ENDPOINT'),
      })
      // `nuxi prepare` makes types only: no keys to fetch.
      if (!nuxt.options._prepare) jwks = await resolveJwks(options.tokens.jwks, () => buildTimeJwksUri(options.tokens, resolved, env('REGION')))
    }
    catch (error) {
      // `nuxi prepare` (types, CI) runs without the outputs file that a real build needs.
      if (!(error instanceof AmplifyConfigError)) throw error
      if (!nuxt.options._prepare) {
        // A configuration mistake, not a bug: the message says the fix, a stack trace into Nuxt would bury it.
        error.stack = `${error.name}: ${error.message}`
        throw error
      }
      logger.warn(error.message)
    }

    const serverAuth = serverAuthRuntimeConfig(options.serverAuth)
    const runtimeConfig = nuxt.options.runtimeConfig
    runtimeConfig.public.amplify = defu(runtimeConfig.public.amplify, {
      resources,
      region: '',
      userPoolId: '',
      userPoolClientId: '',
      identityPoolId: '',
      userPoolEndpoint: '',
      identityPoolEndpoint: '',
      // serverAuth: the browser never needs the tokens, so they are written HttpOnly.
      // Casts: the module's defaults fill `path`, `sameSite`, `loginPath`…, which ModuleOptions leaves optional for users.
      cookies: { ...options.cookies, httpOnly: serverAuth.enabled } as CookieRuntimeConfig,
      auth: { signInFlow: '', forbiddenPath: '', routeRules: {}, ...options.auth } as AuthRuntimeConfig,
      serverAuth,
    } satisfies AmplifyPublicRuntimeConfig)
    runtimeConfig.amplify = defu(runtimeConfig.amplify, {
      tokenIssuer: options.tokens.issuer ?? '',
      jwksUri: options.tokens.jwksUri ?? '',
      jwks,
      cacheControl: options.cacheControl || '',
      serverAuth: { origin: options.serverAuth.origin ?? '', store: sessionStoreMode(options.serverAuth) },
    } satisfies AmplifyRuntimeConfig)

    addPlugin({ src: resolve('./runtime/app/plugins/amplify.client'), mode: 'client' })
    addPlugin({ src: resolve('./runtime/app/plugins/amplify.server'), mode: 'server' })
    addImportsDir(resolve('./runtime/app/composables'))
    addClientApis(options.clientApis, serverAuth.enabled, resolve('./runtime'), nuxt)
    // Reached only through the auto-imported useAmplifyData(), which Vite's dependency scan does not see: found on the
    // first visit of a data page instead, Vite would re-bundle and reload that page in `nuxi dev`. Both environments:
    // a client-only extendViteConfig is deprecated (Nuxt 5 shares one config), and the server ignores the list.
    extendViteConfig((config) => {
      config.optimizeDeps ??= {}
      config.optimizeDeps.include = [...config.optimizeDeps.include ?? [], 'aws-amplify/data', 'aws-amplify/api/internals']
    })
    addComponent({ name: 'AmplifyAuthState', filePath: resolve('./runtime/app/components/AmplifyAuthState.vue') })
    addRouteMiddleware({ name: 'amplify-auth', path: resolve('./runtime/app/middleware/amplify-auth') })
    addRouteMiddleware({ name: 'amplify-auth-global', path: resolve('./runtime/app/middleware/amplify-auth.global'), global: true })

    addServerPlugin(resolve('./runtime/server/plugins/amplify'))
    addServerPlugin(resolve('./runtime/server/plugins/amplify-api-hints'))
    addServerPlugin(resolve('./runtime/server/plugins/amplify-session'))
    addServerHandler({ middleware: true, handler: resolve('./runtime/server/middleware/amplify-route-rules') })
    // `declare module '#amplify-ssr' { interface AmplifySessionClaims { … } }` extends the module's own types.
    nuxt.options.alias['#amplify-ssr'] = resolve('./runtime/types')
    // The app's Nitro, once made: its scanned server routes are what the route-rules middleware may protect.
    let appNitro: Parameters<typeof appServerRoutes>[0] | undefined
    nuxt.hook('nitro:config', (nitroConfig) => {
      // The final rules, other modules' included: the route middleware reads them in the browser too.
      runtimeConfig.public.amplify.auth.routeRules = collectAmplifyRouteRules(nitroConfig.routeRules)
      // In the config rather than on the Nitro instance: the prerenderer is a second Nitro built from this config.
      // Evaluated at each (re)build, after Nitro has scanned the app's server routes.
      nitroConfig.virtual = {
        ...nitroConfig.virtual,
        '#amplify-server-routes': () => `export default ${JSON.stringify(appNitro ? appServerRoutes(appNitro, resolve('./runtime')) : [])}`,
      }
    })
    nuxt.hook('nitro:init', (nitro) => {
      appNitro = nitro
    })
    // A script, not a module, so that the declaration is ambient.
    addTypeTemplate({
      filename: 'types/nuxt-amplify-ssr-server-routes.d.ts',
      getContents: () => `declare module '#amplify-server-routes' {\n  const routes: string[]\n  export default routes\n}\n`,
    }, { nitro: true, nuxt: true })
    addServerImportsDir(resolve('./runtime/server/utils'))
    if (serverAuth.enabled) addServerAuthRoutes(serverAuth.basePath, resolve)

    if (nuxt.options.dev && devtoolsEnabled(nuxt.options.devtools)) addDevtoolsTab(nuxt.options.app.baseURL, resolve, nuxt)

    addTypeTemplate({
      filename: 'types/nuxt-amplify-ssr.d.ts',
      // The runtime config is declared here once, for the app, its server and this module's own code alike. Nuxt
      // also infers the same keys from the values above (a looser shape: strings for unions, `any` for resources);
      // the declared members win over the inferred ones.
      getContents: () => `import type { H3Event } from 'h3'
import type {
  AmplifyAuthRule, AmplifyPublicRuntimeConfig, AmplifyRequestContext, AmplifyRuntimeConfig, AmplifySession,
} from '${resolve('./runtime/types')}'
declare module 'h3' {
  interface H3EventContext {
    amplify?: AmplifyRequestContext
    amplifySession?: { get(): Promise<AmplifySession | null>, now(): AmplifySession | null | undefined }
  }
}
declare module 'nitropack' {
  interface NitroRouteConfig { amplifyAuth?: AmplifyAuthRule }
  interface NitroRuntimeHooks { 'amplify:session': (session: AmplifySession, event: H3Event) => void | Promise<void> }
}
declare module 'nitropack/types' {
  interface NitroRouteConfig { amplifyAuth?: AmplifyAuthRule }
  interface NitroRuntimeHooks { 'amplify:session': (session: AmplifySession, event: H3Event) => void | Promise<void> }
}
declare module '@nuxt/schema' {
  interface RuntimeConfig { amplify: AmplifyRuntimeConfig }
  interface PublicRuntimeConfig { amplify: AmplifyPublicRuntimeConfig }
}
declare module '#app' {
  interface PageMeta { amplifyAuth?: AmplifyAuthRule }
}
declare module 'vue-router' {
  interface RouteMeta { amplifyAuth?: AmplifyAuthRule }
}
export {}
`,
    }, { nitro: true, nuxt: true })
  },
})
