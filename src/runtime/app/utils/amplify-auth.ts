import * as serverAuth from 'aws-amplify/auth/server'
import type {
  AuthSession,
  AuthUser,
  ConfirmSignInInput,
  FetchAuthSessionOptions,
  FetchUserAttributesOutput,
  SignInInput,
  SignInOutput,
  SignOutInput,
} from 'aws-amplify/auth'
import { browserOnly } from './amplify-tasks'
import type { AmplifyRunner } from './amplify-tasks'

/** `useAmplify().Auth`: Amplify's Auth APIs with the browser's signatures on both sides. */
export interface AmplifyAuth {
  getCurrentUser(): Promise<AuthUser>
  fetchUserAttributes(): Promise<FetchUserAttributesOutput>
  fetchAuthSession(options?: FetchAuthSessionOptions): Promise<AuthSession>
  /** Browser only. Uses `amplify.auth.signInFlow` unless the call names a flow. */
  signIn(input: SignInInput): Promise<SignInOutput>
  /** Browser only. Answers the step `signIn` asked for (new password, MFA code…). */
  confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput>
  /** Browser only. */
  signOut(input?: SignOutInput): Promise<void>
}

const signInOnServer = 'Sign in from the browser (an event handler or onMounted): the server only reads the session from cookies.'

export function serverAuthApis(run: AmplifyRunner): AmplifyAuth {
  return {
    getCurrentUser: () => run(ctx => serverAuth.getCurrentUser(ctx)),
    fetchUserAttributes: () => run(ctx => serverAuth.fetchUserAttributes(ctx)),
    fetchAuthSession: options => run(ctx => serverAuth.fetchAuthSession(ctx, options)),
    signIn: () => browserOnly('Auth.signIn', signInOnServer),
    confirmSignIn: () => browserOnly('Auth.confirmSignIn', signInOnServer),
    signOut: () => browserOnly('Auth.signOut', signInOnServer),
  }
}
