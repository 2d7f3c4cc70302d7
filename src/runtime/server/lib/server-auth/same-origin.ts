import { getRequestHeader, getRequestHost, getRequestProtocol } from 'h3'
import type { H3Event } from 'h3'
import { httpError } from '../errors/http-error'
import type { ServerAuthSettings } from './settings'

/** The app's public origin: the configured one (behind proxies), else the one this request was made to. */
export function appOrigin(event: H3Event, settings: ServerAuthSettings): string {
  // Built from the headers without URL parsing, which a hostile Host header would turn into a 500.
  return settings.origin ?? `${getRequestProtocol(event)}://${getRequestHost(event)}`
}

/**
 * Refuses cross-site requests to routes that change the session (login CSRF, forced sign-out). Browsers say where
 * a request comes from in `Sec-Fetch-Site` and, for every POST, in `Origin`; a request that carries neither did not
 * come from a browser page, so it cannot ride on a visitor's cookies.
 */
export function assertSameOrigin(event: H3Event, settings: ServerAuthSettings): void {
  const site = getRequestHeader(event, 'sec-fetch-site')
  if (site && site !== 'same-origin') {
    throw httpError(403, 'CrossOriginRequest', 'Cross-site requests are not accepted')
  }
  const origin = getRequestHeader(event, 'origin')
  if (origin && origin !== appOrigin(event, settings)) {
    throw httpError(403, 'CrossOriginRequest', 'Cross-origin requests are not accepted')
  }
}
