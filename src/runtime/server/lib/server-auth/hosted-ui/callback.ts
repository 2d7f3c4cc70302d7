import { getQuery, sendRedirect, setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import { safeRedirectPath } from '../../../../shared/redirect'
import { exchangeCode } from './endpoints'
import { deleteFlowCookies, getFlowCookie } from '../flow-cookies'
import { callbackUrl } from './start'
import { CognitoError } from '../cognito'
import { httpError } from '../../errors/http-error'
import { noStore } from '../../http/no-store'
import { startSession } from '../start-session'
import { useServerAuthSettings } from '../settings'
import type { ServerAuthSettings } from '../settings'

const text = (value: unknown) => (typeof value === 'string' && value.length <= 2048 ? value : undefined)

/** The login page with a short, URL-safe error code (`?error=state_mismatch`) and the page the user wanted. */
function loginUrl(settings: ServerAuthSettings, error: string, target: string | undefined): string {
  const query = new URLSearchParams({ error: /^[\w.-]{1,64}$/.test(error) ? error : 'sign_in_failed' })
  if (target) query.set(settings.redirectQueryKey, target)
  return `${settings.loginPath}?${query}`
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/**
 * With `SameSite=Strict` token cookies, a redirect chain that started on the Hosted UI's site would arrive without
 * them; a page that navigates on its own starts a same-site navigation instead.
 */
function sameSiteHop(event: H3Event, target: string): string {
  setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
  const href = escapeHtml(target)
  const script = `location.replace(${JSON.stringify(target).replace(/</g, '\\u003c')})`
  return `<!DOCTYPE html><html><head><meta http-equiv="refresh" content="0;url=${href}"><script>${script}</script></head>`
    + `<body><a href="${href}">Continue</a></body></html>`
}

/**
 * `GET <basePath>/callback`: the Hosted UI sends the browser here with `code` and `state`. The state must match the
 * HttpOnly cookie set when the sign-in started, and the code is exchanged with that start's PKCE verifier; only then
 * are the token cookies written. Any refusal sets nothing and lands on the login page with `?error=`.
 */
export async function completeHostedUI(event: H3Event) {
  noStore(event)
  const settings = useServerAuthSettings(event)
  if (!settings.hostedUI) throw httpError(404, 'HostedUINotConfigured', 'The Hosted UI is not configured')
  const query = getQuery(event)
  const savedTarget = getFlowCookie(event, 'redirect')
  const target = safeRedirectPath(savedTarget, settings.redirectSignIn)
  const refuse = (error: string) => sendRedirect(event, loginUrl(settings, error, savedTarget && target), 302)

  // The user cancelled, or the Hosted UI refused (access_denied, invalid_scope…).
  if (query.error !== undefined) return refuse(text(query.error) ?? 'access_denied')
  const code = text(query.code)
  const state = text(query.state)
  if (!code || !state) return refuse('invalid_request')
  const savedState = getFlowCookie(event, 'state')
  const verifier = getFlowCookie(event, 'verifier')
  // The cookies live 5 minutes, or the callback was opened in another browser.
  if (!savedState || !verifier) return refuse('sign_in_expired')
  // Someone else's code (login CSRF) or a tampered URL.
  if (savedState !== state) return refuse('state_mismatch')

  try {
    const redirectUri = callbackUrl(event, settings)
    const tokens = await exchangeCode(settings.hostedUI, { clientId: settings.clientId, code, redirectUri, verifier })
    await startSession(event, settings, tokens)
  }
  catch (error) {
    if (!(error instanceof CognitoError)) throw error
    if (error.code !== 'invalid_grant') console.warn(`[nuxt-amplify-ssr] Hosted UI sign-in failed: ${error.message}`)
    const loginError = error.code === 'NetworkError'
      ? 'temporarily_unavailable'
      : error.code === 'InvalidTokenException' ? 'invalid_token' : error.code
    return refuse(loginError)
  }
  deleteFlowCookies(event, settings, 'state', 'verifier', 'redirect')
  return settings.cookies.sameSite === 'strict' ? sameSiteHop(event, target) : sendRedirect(event, target, 302)
}
