import * as clientAuth from 'aws-amplify/auth'
import * as serverAuth from 'aws-amplify/auth/server'
import type { ConfirmSignInInput, FetchAuthSessionOptions, SignInInput, SignOutInput } from 'aws-amplify/auth'
import { useAmplifyPublicConfig } from '../utils/config'
import { createServerAuthClient } from '../utils/server-auth-client'
import { useAmplifyServerContext } from './useAmplifyServerContext'
import { useAmplifyUser } from './useAmplifyUser'

function browserOnly(name: string): never {
  throw new Error(`[nuxt-amplify-ssr] useAmplify().Auth.${name}() runs in the browser only: call it from an event handler or onMounted, not during SSR.`)
}

/**
 * Amplify's APIs with one signature on both sides: on the server each call runs in the current request's
 * context (`aws-amplify/<category>/server`), in the browser it is Amplify's client API — or, with
 * `amplify.serverAuth`, the module's auth routes (the tokens are HttpOnly; `fetchAuthSession` is server-only then).
 *
 * @example
 * const { data: attributes } = await useAsyncData(() => useAmplify().Auth.fetchUserAttributes())
 */
export function useAmplify() {
  if (import.meta.server) {
    const run = useAmplifyServerContext()
    return {
      Auth: {
        getCurrentUser: () => run(ctx => serverAuth.getCurrentUser(ctx)),
        fetchUserAttributes: () => run(ctx => serverAuth.fetchUserAttributes(ctx)),
        fetchAuthSession: (options?: FetchAuthSessionOptions) => run(ctx => serverAuth.fetchAuthSession(ctx, options)),
        signIn: (_input: SignInInput) => browserOnly('signIn'),
        confirmSignIn: (_input: ConfirmSignInInput) => browserOnly('confirmSignIn'),
        signOut: (_input?: SignOutInput) => browserOnly('signOut'),
      },
    }
  }
  const config = useAmplifyPublicConfig()
  if (config.serverAuth?.enabled) return { Auth: createServerAuthClient(config.serverAuth.basePath, useAmplifyUser()) }
  const { signInFlow } = config.auth
  return {
    Auth: {
      getCurrentUser: () => clientAuth.getCurrentUser(),
      fetchUserAttributes: () => clientAuth.fetchUserAttributes(),
      fetchAuthSession: (options?: FetchAuthSessionOptions) => clientAuth.fetchAuthSession(options),
      /** Amplify's `signIn`, with the flow set by `amplify.auth.signInFlow` unless the call names one. */
      signIn: (input: SignInInput) => clientAuth.signIn({ ...input, options: { authFlowType: signInFlow || undefined, ...input.options } }),
      confirmSignIn: (input: ConfirmSignInInput) => clientAuth.confirmSignIn(input),
      signOut: (input?: SignOutInput) => clientAuth.signOut(input),
    },
  }
}
