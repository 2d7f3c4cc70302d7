// `useAmplify().Auth` in the browser without `serverAuth`, one export per API so that the build keeps only those the
// app calls (#amplify-client-apis picks them).
import * as clientAuth from 'aws-amplify/auth'
import type { AuthRuntimeConfig } from '../../shared/config'
import type { AmplifyAuth } from './amplify-auth'

export const getCurrentUser: AmplifyAuth['getCurrentUser'] = () => clientAuth.getCurrentUser()
export const fetchUserAttributes: AmplifyAuth['fetchUserAttributes'] = () => clientAuth.fetchUserAttributes()
export const fetchAuthSession: AmplifyAuth['fetchAuthSession'] = options => clientAuth.fetchAuthSession(options)
export const confirmSignIn: AmplifyAuth['confirmSignIn'] = input => clientAuth.confirmSignIn(input)
export const signOut: AmplifyAuth['signOut'] = input => clientAuth.signOut(input)

/** `amplify.auth.signInFlow` unless the call names a flow. */
export function signIn(input: Parameters<AmplifyAuth['signIn']>[0], signInFlow: AuthRuntimeConfig['signInFlow']): ReturnType<AmplifyAuth['signIn']> {
  return clientAuth.signIn({ ...input, options: { authFlowType: signInFlow || undefined, ...input.options } })
}
