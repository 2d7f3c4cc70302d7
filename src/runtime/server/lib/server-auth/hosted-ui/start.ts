import { getQuery, sendRedirect } from 'h3'
import type { H3Event } from 'h3'
import { safeRedirectPath } from '../../../../shared/redirect'
import { authorizeUrl, identityProviderName } from './endpoints'
import { setFlowCookie } from '../flow-cookies'
import { createPkcePair, randomToken } from './pkce'
import { httpError } from '../../errors/http-error'
import { appOrigin } from '../same-origin'
import { noStore } from '../../http/no-store'
import { useServerAuthSettings } from '../settings'
import type { ServerAuthSettings } from '../settings'

/** Where Cognito sends the browser back: this app's callback route (register it in the client's callback URLs). */
export function callbackUrl(event: H3Event, settings: ServerAuthSettings): string {
  return `${appOrigin(event, settings)}${settings.basePath}/callback`
}

/**
 * `GET <basePath>/sign-in` and `/sign-up`: sends the browser to the Hosted UI with a fresh state and PKCE challenge,
 * keeping the state, the verifier and the page to return to (`?redirect=`, same-site paths only) in HttpOnly cookies.
 */
export async function startHostedUI(event: H3Event, page: 'sign-in' | 'sign-up') {
  noStore(event)
  const settings = useServerAuthSettings(event)
  if (!settings.hostedUI) {
    throw httpError(404, 'HostedUINotConfigured', 'The Hosted UI is not configured: '
      + 'set amplify.serverAuth.hostedUI.domain or the oauth section of the Amplify config')
  }
  const query = getQuery(event)
  const state = randomToken()
  const { verifier, challenge } = await createPkcePair()
  setFlowCookie(event, settings, 'state', state)
  setFlowCookie(event, settings, 'verifier', verifier)
  setFlowCookie(event, settings, 'redirect', safeRedirectPath(query[settings.redirectQueryKey], settings.redirectSignIn))
  const location = authorizeUrl(settings.hostedUI, page, {
    clientId: settings.clientId,
    redirectUri: callbackUrl(event, settings),
    state,
    codeChallenge: challenge,
    identityProvider: identityProviderName(query.provider),
  })
  return sendRedirect(event, location, 302)
}
