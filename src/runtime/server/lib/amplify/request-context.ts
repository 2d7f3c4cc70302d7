// The one file that knows how Amplify builds a server context. aws-amplify 6.22 marks
// `runWithAmplifyServerContext` deprecated in favour of `createAmplifyContext`: moving over is a change here only.
import { setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import {
  createAWSCredentialsAndIdentityIdProvider,
  createKeyValueStorageFromCookieStorageAdapter,
  runWithAmplifyServerContext,
} from 'aws-amplify/adapter-core'
import type { AmplifyServer, createUserPoolsTokenProvider } from 'aws-amplify/adapter-core'
import { DefaultTokenStore, TokenOrchestrator, refreshAuthTokensWithoutDedupe } from 'aws-amplify/auth/cognito'
import { getCurrentUser } from 'aws-amplify/auth/server'
import type { AuthUser } from 'aws-amplify/auth'
import { createCookieJar } from '../session/cookie-jar'
import { createStoredCookieJar } from '../session/stored-cookie-jar'
import type { StoredCookieJar } from '../session/stored-cookie-jar'
import { useSessionStore } from '../session/session-store'
import { withCredentialsCache } from './credentials-cache'
import type { CookieJar } from '../session/cookie-jar'
import { userPoolCookiePrefix } from '../../../shared/cookies'
import { readSession } from '../session/read-session'
import type { SessionRead } from '../session/read-session'
import { computeOnce } from '../cache/compute-once'
import type { ComputedOnce } from '../cache/compute-once'
import { useAmplifyServerSettings } from './server-settings'
import { identified, createStorageValidator } from '../tokens/storage-validator'
import type { TokenPair } from '../tokens/token-verifier'
import { runQuietly } from './quiet-configure'
import { singleFlightRefresh } from '../session/single-flight-refresh'

/** What runs inside a request's Amplify context: a call of Amplify's server APIs with the context it is given. */
export type AmplifyOperation<T> = (contextSpec: AmplifyServer.ContextSpec) => T | Promise<T>

/** Runs an operation in one request's Amplify context: `run(ctx => fetchUserAttributes(ctx))`. */
export type AmplifyRunner = <T>(operation: AmplifyOperation<T>) => Promise<T>

export interface AmplifyRequestContext {
  /** Runs `operation` with a server context built from this request's cookies. */
  run: AmplifyRunner
  /**
   * The signed-in user, or `null` for a missing, forged, foreign or ended session; computed once per request.
   * Rejects when the session cannot be decided (Cognito or its keys unreachable, throttling) or the module is not
   * configured: the cookies are then left as they are.
   */
  user(): Promise<AuthUser | null>
  /** `user()`'s answer when it is known without waiting (nearly every request of a session), else `undefined`. */
  userNow(): AuthUser | null | undefined
  /**
   * The request's cookie jar, which Amplify's storage reads and writes: routes that write a session share it. With
   * `serverAuth.store: 'storage'`, its session values are readable once `session()` has resolved.
   */
  cookies(): CookieJar
  /** The jar with the request's session loaded (its stored record read, in `store: 'storage'` mode). */
  session(): Promise<CookieJar>
  /** Stores what the request changed in its session (a no-op for cookies); `rotate` at sign-in gives it a new id. */
  saveSession(options?: { rotate?: boolean }): Promise<void>
  /**
   * The claims of the tokens `user()` read the user from, when it read them straight from the jar (no Amplify call,
   * no refresh); `undefined` before `user()` settled and after Amplify decided.
   */
  verifiedTokens(): NonNullable<TokenPair> | undefined
}

type LibraryOptions = Parameters<typeof runWithAmplifyServerContext>[1]

const rendersForCache = (event: H3Event) => Boolean(event.context.cache)

/** A response that depends on someone's session must never be stored by a shared cache. */
function keepPrivate(event: H3Event, cacheControl: string) {
  if (cacheControl && !event.node.res.headersSent) setResponseHeader(event, 'cache-control', cacheControl)
}

const refreshTokens = singleFlightRefresh(refreshAuthTokensWithoutDedupe)

/**
 * Amplify's `createUserPoolsTokenProvider`, with a refresher that concurrent requests of one session share. Amplify's
 * also registers the provider for its sign-in and sign-out APIs, which write tokens and have no server variant.
 */
function createTokenProvider(...[authConfig, storage]: Parameters<typeof createUserPoolsTokenProvider>): ReturnType<typeof createUserPoolsTokenProvider> {
  const store = new DefaultTokenStore()
  store.setAuthConfig(authConfig)
  store.setKeyValueStorage(storage)
  const orchestrator = new TokenOrchestrator()
  orchestrator.setAuthConfig(authConfig)
  orchestrator.setAuthTokenStore(store)
  orchestrator.setTokenRefresher(refreshTokens)
  return { getTokens: ({ forceRefresh } = { forceRefresh: false }) => orchestrator.getTokens({ forceRefresh }) }
}

/** Amplify's providers over one cookie jar; the credentials provider reuses identity credentials across requests. */
function createLibraryOptions(jar: CookieJar): LibraryOptions {
  const { resources, verifier } = useAmplifyServerSettings()
  const storage = createKeyValueStorageFromCookieStorageAdapter(jar, createStorageValidator(verifier))
  const credentialsProvider = createAWSCredentialsAndIdentityIdProvider(resources.Auth!, storage)
  const { identityPoolId } = resources.Auth!.Cognito
  return {
    Auth: {
      tokenProvider: createTokenProvider(resources.Auth!, storage),
      credentialsProvider: identityPoolId ? withCredentialsCache(credentialsProvider, jar, identityPoolId) : credentialsProvider,
    },
  }
}

/** The request's jar: Amplify's cookies, or a session id over the store's record (never for a render for the cache). */
function createJar(event: H3Event, anonymous: boolean): CookieJar {
  const { cookies, clientId } = useAmplifyServerSettings()
  const jar = createCookieJar(event, cookies, { anonymous })
  const store = anonymous ? null : useSessionStore()
  return store ? createStoredCookieJar({ cookies: jar, ...store, prefix: userPoolCookiePrefix(clientId) }) : jar
}

/**
 * One request's Amplify context. Storage and providers are made on first use and shared by every call
 * of the request (a second call must not refresh again); nothing outlives the request.
 */
export function createAmplifyRequestContext(event: H3Event): AmplifyRequestContext {
  // Lazy, and in two steps: a verified session is read from the jar alone, without building Amplify's providers.
  // Nitro renders a cached route (`defineCachedEventHandler`, route rules) once for many visitors, with the context
  // of the request that missed the cache: that render gets a jar that sees nobody's cookies and writes none.
  const jars: { own?: CookieJar, anonymous?: CookieJar } = {}
  const options: { own?: LibraryOptions, anonymous?: LibraryOptions } = {}
  const which = () => (rendersForCache(event) ? 'anonymous' : 'own')
  const cookieJar = () => (jars[which()] ??= createJar(event, which() === 'anonymous'))
  const amplifyOptions = () => (options[which()] ??= createLibraryOptions(cookieJar()))
  const stored = () => {
    const jar = cookieJar()
    return 'load' in jar ? jar as StoredCookieJar : undefined
  }
  async function session(): Promise<CookieJar> {
    await stored()?.load()
    return cookieJar()
  }
  const saveSession = async (saveOptions?: { rotate?: boolean }) => stored()?.save(saveOptions)

  /** The user, with no promise when no step waits: a cookie session whose tokens were verified before. */
  function readUser(): AuthUser | null | Promise<AuthUser | null> {
    const { clientId, verifier } = useAmplifyServerSettings()
    if (stored()) return session().then(jar => decideUser(jar, readSession(jar, clientId, verifier)))
    const jar = cookieJar()
    return decideUser(jar, readSession(jar, clientId, verifier))
  }

  function decideUser(jar: CookieJar, read: SessionRead | Promise<SessionRead>): AuthUser | null | Promise<AuthUser | null> {
    if (read instanceof Promise) return read.then(fresh => decideUser(jar, fresh))
    if (!read) return runAmplify(contextSpec => getCurrentUser(contextSpec)).then(identified, signedOut).then(user => settleUser(jar, user))
    tokens = read.tokens
    return settleUser(jar, read.user)
  }

  function settleUser(jar: CookieJar, user: AuthUser | null): AuthUser | null | Promise<AuthUser | null> {
    const { clientId, cacheControl } = useAmplifyServerSettings()
    if (user) keepPrivate(event, cacheControl)
    // Amplify leaves the cookies of an unusable session in place (expired without refresh token, forged…):
    // the browser would send them forever.
    else jar.deleteMatching(userPoolCookiePrefix(clientId))
    return stored() ? saveSession().then(() => user) : user
  }

  function runAmplify<T>(operation: AmplifyOperation<T>): Promise<T> {
    const { resources } = useAmplifyServerSettings()
    const cognito = resources.Auth!.Cognito
    const endpoint = cognito.userPoolEndpoint ?? cognito.identityPoolEndpoint
    return runQuietly(() => runWithAmplifyServerContext(resources, amplifyOptions(), operation), endpoint)
  }

  let user: ComputedOnce<AuthUser | null> | undefined
  const decidedUser = () => (user ??= computeOnce(readUser))
  let tokens: NonNullable<TokenPair> | undefined
  const context: AmplifyRequestContext = {
    async run(operation) {
      // What Amplify answers the app depends on this request's credentials (the user's, or a guest's).
      if (!rendersForCache(event)) keepPrivate(event, useAmplifyServerSettings().cacheControl)
      if (!stored()) return runAmplify(operation)
      await session()
      // Refreshed tokens go back to the store before the app answers, whether the operation succeeded or not.
      return runAmplify(operation).finally(saveSession)
    },
    cookies: cookieJar,
    session,
    saveSession,
    verifiedTokens: () => tokens,
    user() {
      return rendersForCache(event) ? Promise.resolve(null) : decidedUser().get()
    },
    userNow() {
      return rendersForCache(event) ? null : decidedUser().now()
    },
  }
  return context
}

// No session at all, an expired one without a refresh token (TokenRefresh), or Amplify's own list of errors after
// which a session is over (TokenOrchestrator): anything else — throttling, an outage — leaves the session as it is,
// and the request fails instead of signing out.
const SESSION_OVER = new RegExp(`^(?:${[
  'UserUnAuthenticated', 'TokenRefresh', 'NotAuthorized', 'TokenRevoked',
  'UserNotFound', 'PasswordResetRequired', 'UserNotConfirmed', 'RefreshTokenReuse',
].join('|')})Exception`)

function signedOut(error: unknown): null {
  if (SESSION_OVER.test((error as Error)?.name ?? '')) return null
  throw error
}

/** The request's context, made by the module's Nitro plugin (or here, on first use). */
export function useAmplifyRequestContext(event: H3Event): AmplifyRequestContext {
  return (event.context.amplify ??= createAmplifyRequestContext(event))
}
