import { deleteCookie, getCookie, setCookie } from 'h3'
import type { H3Event } from 'h3'
import { isSecureRequest } from '../session/cookie-jar'
import type { ServerAuthSettings } from './settings'

/**
 * Short-lived HttpOnly cookies that prove a sign-in round trip started here: the OAuth state and PKCE verifier
 * (checked at the callback), the page to return to, and a pending Cognito challenge. Scoped to the auth routes.
 */
export const FLOW_COOKIES = {
  state: 'amplify.oauth.state',
  verifier: 'amplify.oauth.verifier',
  redirect: 'amplify.oauth.redirect',
  challenge: 'amplify.sign-in.challenge',
} as const

export type FlowCookie = keyof typeof FLOW_COOKIES

// Cognito's own limits: a Hosted UI sign-in must finish within 5 minutes, a challenge session lasts 3.
const MAX_AGE: Record<FlowCookie, number> = { state: 300, verifier: 300, redirect: 300, challenge: 180 }

function attributes(event: H3Event, settings: ServerAuthSettings, cookie: FlowCookie) {
  return {
    path: settings.basePath,
    httpOnly: true,
    secure: isSecureRequest(event, settings.cookies),
    // The callback is a top-level navigation from the Hosted UI's site: Lax lets these cookies come along.
    sameSite: cookie === 'challenge' ? 'strict' as const : 'lax' as const,
  }
}

export function setFlowCookie(event: H3Event, settings: ServerAuthSettings, cookie: FlowCookie, value: string): void {
  setCookie(event, FLOW_COOKIES[cookie], value, { ...attributes(event, settings, cookie), maxAge: MAX_AGE[cookie] })
}

export function getFlowCookie(event: H3Event, cookie: FlowCookie): string | undefined {
  return getCookie(event, FLOW_COOKIES[cookie]) || undefined
}

export function deleteFlowCookies(event: H3Event, settings: ServerAuthSettings, ...cookies: FlowCookie[]): void {
  for (const cookie of cookies) {
    if (getCookie(event, FLOW_COOKIES[cookie]) !== undefined) deleteCookie(event, FLOW_COOKIES[cookie], attributes(event, settings, cookie))
  }
}
