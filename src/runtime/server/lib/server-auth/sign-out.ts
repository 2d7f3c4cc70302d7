import { getRequestHeader, sendRedirect } from 'h3'
import type { H3Event } from 'h3'
import { logoutUrl } from './hosted-ui/endpoints'
import { deleteFlowCookies } from './flow-cookies'
import { cognitoClient, revokeRefreshToken } from './cognito'
import { appOrigin, assertSameOrigin } from './same-origin'
import { useAmplifyRequestContext } from '../amplify/request-context'
import { clearSession } from '../session/clear-session'
import { forgetSharedRefresh } from '../session/single-flight-refresh'
import { useServerAuthSettings } from './settings'

export interface ServerSignOutResult {
  isSignedOut: true
  /** Whether Cognito revoked the refresh token (false when there was none, or Cognito could not be reached). */
  revoked: boolean
  /** Where the browser goes next: the Hosted UI logout endpoint when one is configured, else `redirectSignOut`. */
  redirect: string
}

/**
 * `POST <basePath>/sign-out` (same-origin only): revokes the refresh token at Cognito, so that a copy of the cookies
 * is worthless, and deletes every auth cookie (or the stored session). A form post (`Accept: text/html`) is redirected (303); `fetch` gets JSON.
 */
export async function handleServerSignOut(event: H3Event) {
  const settings = useServerAuthSettings(event)
  assertSameOrigin(event, settings)
  const context = useAmplifyRequestContext(event)
  const refreshToken = clearSession(await context.session(), settings.clientId)
  // With the session store, deleting the record ends the session on every instance, unexpired access tokens and all.
  await context.saveSession()
  deleteFlowCookies(event, settings, 'state', 'verifier', 'redirect', 'challenge')
  if (refreshToken) forgetSharedRefresh(refreshToken)
  const revoked = refreshToken
    ? await revokeRefreshToken(cognitoClient(settings), refreshToken).then(() => true, (error) => {
        // The cookies are gone either way; a refresh token that could not be revoked expires on its own.
        console.warn(`[nuxt-amplify-ssr] Could not revoke the refresh token: ${error.message}`)
        return false
      })
    : false
  const afterSignOut = settings.redirectSignOut
  const hostedUILogout = settings.hostedUI && logoutUrl(settings.hostedUI, settings.clientId, `${appOrigin(event, settings)}${afterSignOut}`)
  const redirect = hostedUILogout || afterSignOut
  if (getRequestHeader(event, 'accept')?.includes('text/html')) return sendRedirect(event, redirect, 303)
  return { isSignedOut: true, revoked, redirect } satisfies ServerSignOutResult
}
