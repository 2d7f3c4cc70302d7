// The browser side of `amplify.serverAuth`: the tokens are HttpOnly, so whatever needs them asks the server's auth
// routes. Answers keep the shapes of Amplify's client APIs, so that pages work the same in both modes.
import type { AuthUser, ConfirmSignInInput, FetchUserAttributesOutput, SignInInput, SignInOutput } from 'aws-amplify/auth'
import type { Ref } from 'vue'
import type { AmplifySessionDetails } from '../composables/useAmplifySession'

type RouteAnswer = { isSignedIn: boolean, nextStep: SignInOutput['nextStep'], user?: AuthUser, redirect?: string }

/** An error named like Amplify's (`NotAuthorizedException`, `UserUnAuthenticatedException`…) from the route's envelope. */
function routeError(error: unknown): Error {
  const { data, statusCode, message } = error as {
    data?: { message?: string, data?: { code?: string } }
    statusCode?: number
    message?: string
  }
  const name = data?.data?.code ?? (statusCode === 401 ? 'UserUnAuthenticatedException' : 'NetworkError')
  return Object.assign(new Error(data?.message ?? message ?? 'Request failed'), { name, statusCode })
}

async function call<T>(url: string, options?: { method: 'POST', body?: object }): Promise<T> {
  try {
    // Untyped on purpose: in an app, Nitro types `$fetch` by its own routes, which do not include the module's.
    const answer: unknown = await $fetch(url, { ...options, headers: { accept: 'application/json' } })
    return answer as T
  }
  catch (error) {
    throw routeError(error)
  }
}

type SessionAnswer = { user: AuthUser | null, details: AmplifySessionDetails | null }

/** The signed-in user and session according to the server (`<basePath>/session`); signed out when it is unreachable. */
export function fetchServerSession(basePath: string): Promise<SessionAnswer> {
  return call<{ user: AuthUser | null, session?: AmplifySessionDetails | null }>(`${basePath}/session`)
    .then(answer => ({ user: answer.user, details: answer.session ?? null }), () => ({ user: null, details: null }))
}

function unavailable(name: string): never {
  throw new Error(`[nuxt-amplify-ssr] useAmplify().Auth.${name}() is not available in the browser with amplify.serverAuth: `
    + 'the tokens stay on the server. Call it during SSR, or in a server route of your own.')
}

/** `useAmplify().Auth` in the browser when `serverAuth` is on. `user` is `useAmplifyUser()`, kept in step. */
export function createServerAuthClient(basePath: string, user: Ref<AuthUser | null>) {
  const settle = (answer: RouteAnswer): SignInOutput => {
    if (answer.isSignedIn && answer.user) user.value = answer.user
    return { isSignedIn: answer.isSignedIn, nextStep: answer.nextStep } as SignInOutput
  }
  return {
    async getCurrentUser(): Promise<AuthUser> {
      user.value = (await fetchServerSession(basePath)).user
      if (!user.value) {
        throw Object.assign(new Error('User needs to be authenticated to call this API.'), { name: 'UserUnAuthenticatedException' })
      }
      return user.value
    },
    fetchUserAttributes: () => call<FetchUserAttributesOutput>(`${basePath}/attributes`),
    fetchAuthSession: (_options?: unknown): never => unavailable('fetchAuthSession'),
    /** Password sign-in on the server (USER_PASSWORD_AUTH); `nextStep` as in Amplify when Cognito asks for more. */
    signIn: async (input: SignInInput) => settle(await call<RouteAnswer>(`${basePath}/sign-in`, {
      method: 'POST',
      body: { username: input.username, password: input.password },
    })),
    /** Answers the step `signIn` asked for: new password, SMS/TOTP/email code, or the MFA type to use. */
    confirmSignIn: async (input: ConfirmSignInInput) => settle(await call<RouteAnswer>(`${basePath}/sign-in`, {
      method: 'POST',
      body: { challengeResponse: input.challengeResponse, userAttributes: input.options?.userAttributes },
    })),
    /** Revokes and deletes the session on the server; with the Hosted UI, then leaves for its logout page. */
    async signOut(_input?: unknown): Promise<void> {
      const { redirect } = await call<{ redirect: string }>(`${basePath}/sign-out`, { method: 'POST' })
      user.value = null
      if (/^https?:\/\//.test(redirect)) window.location.assign(redirect)
    },
  }
}
