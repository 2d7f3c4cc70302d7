import { upgradeSetCookies } from '../lib/http/websocket-event'
import type { AmplifyUpgradeRequest } from '../lib/http/websocket-event'

/**
 * The headers a WebSocket handshake must answer with for the session read on `request`: the `Set-Cookie` of tokens
 * refreshed during the upgrade, so that the browser keeps them (it stores cookies of a `101` response). Return them
 * from the upgrade hook; empty when the session needed no refresh.
 *
 * @example
 * export default defineWebSocketHandler({
 *   async upgrade(request) {
 *     await requireAmplifyUser(request)
 *     return { headers: amplifyUpgradeHeaders(request) }
 *   },
 * })
 */
export function amplifyUpgradeHeaders(request: AmplifyUpgradeRequest): Headers {
  const headers = new Headers()
  for (const line of upgradeSetCookies(request)) headers.append('set-cookie', line)
  return headers
}
