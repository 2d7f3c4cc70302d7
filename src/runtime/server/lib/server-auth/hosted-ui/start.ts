import { getQuery, sendRedirect } from 'h3'
import type { H3Event } from 'h3'
import { safeRedirectPath } from '../../../../shared/redirect'
import { authorizeUrl, identityProviderName } from './endpoints'
import { setFlowCookie } from '../flow-cookies'
import { createPkcePair, randomToken } from './pkce'
import { httpError } from '../../errors/http-error'
import { appOrigin, noStore } from '../same-origin'
import { useServerSignInSetup } from '../settings'
import type { ServerSignInSetup } from '../settings'

/** Where Cognito sends the browser back: this app's callback route (register it in the client's callback URLs). */
export function callbackUrl(event: H3Event, setup: ServerSignInSetup): string {
  return `${appOrigin(event, setup)}${setup.basePath}/callback`
}

/**
 * `GET <basePath>/sign-in` and `/sign-up`: sends the browser to the Hosted UI with a fresh state and PKCE challenge,
 * keeping the state, the verifier and the page to return to (`?redirect=`, same-site paths only) in HttpOnly cookies.
 */
export async function startHostedUi(event: H3Event, page: 'sign-in' | 'sign-up') {
  noStore(event)
  const setup = useServerSignInSetup()
  if (!setup.hostedUi) {
    throw httpError(404, 'HostedUINotConfigured', 'The Hosted UI is not configured: set amplify.serverAuth.hostedUI.domain or the oauth section of the Amplify config')
  }
  const query = getQuery(event)
  const state = randomToken()
  const { verifier, challenge } = await createPkcePair()
  setFlowCookie(event, setup, 'state', state)
  setFlowCookie(event, setup, 'verifier', verifier)
  setFlowCookie(event, setup, 'redirect', safeRedirectPath(query[setup.redirectQueryKey], setup.redirectSignIn))
  const location = authorizeUrl(setup.hostedUi, page, {
    clientId: setup.clientId,
    redirectUri: callbackUrl(event, setup),
    state,
    codeChallenge: challenge,
    identityProvider: identityProviderName(query.provider),
  })
  return sendRedirect(event, location, 302)
}
