// A Nitro WebSocket route (crossws) has no h3 event: its `upgrade(request)` hook gets the handshake request, and
// `open`/`message`/`close` get a peer that keeps it. The module's session code reads an h3 event (its Cookie header,
// host, context, response headers), so a socket's request or peer is given one over its handshake's headers.
import { createEvent, isEvent } from 'h3'
import type { H3Error, H3Event } from 'h3'
import { useRuntimeConfig } from 'nitropack/runtime'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { keepOneCookiePerName } from './one-cookie-per-name'

/** The request of `defineWebSocketHandler({ upgrade(request) {} })`: a `Request`, or what crossws's adapter makes. */
export interface AmplifyUpgradeRequest {
  readonly url: string
  readonly headers: Headers
  readonly context?: Record<string, unknown>
}

/** A socket in `open`/`message`/`close`: crossws's `Peer`, of which only the handshake request and context are read. */
export interface AmplifyPeer {
  readonly request: { readonly url: string, readonly headers: Headers } | undefined
  readonly context: Record<string, unknown>
}

/** What the module's server utils accept: a route's h3 event, a WebSocket's upgrade request, or its peer. */
export type AmplifyEventSource = H3Event | AmplifyUpgradeRequest | AmplifyPeer

type NodeHeaders = Record<string, string | string[] | undefined>

// The socket's Cookie header, kept in the context crossws shares from `upgrade` to the peer: tokens refreshed while
// the handshake was read (or on a later message) are the ones the next read of the socket starts from.
const SOCKET_COOKIES = Symbol('amplify socket cookies')
type SocketContext = { [SOCKET_COOKIES]?: NodeHeaders }
const socketContext = (context: Record<string, unknown> | undefined) => context as SocketContext | undefined
// One event per handshake: `upgrade` and `amplifyUpgradeHeaders` must see the same session read and the same writes.
const upgradeEvents = new WeakMap<object, H3Event>()

const isPeer = (source: AmplifyUpgradeRequest | AmplifyPeer): source is AmplifyPeer => !('headers' in source)

/** Whether the module's utils were given a socket rather than an h3 event: their errors must then be Responses. */
export function isSocketSource(source: AmplifyEventSource): source is AmplifyUpgradeRequest | AmplifyPeer {
  return !isEvent(source)
}

/**
 * The response a request can still get: headers kept in memory, where the cookie jar's writes land. A peer's handshake
 * is over (`headersSent`), so the jar writes nothing there and a refresh lives in the socket's context only.
 */
function responseOf(headersSent: boolean) {
  const headers = new Map<string, number | string | string[]>()
  return {
    headersSent,
    writableEnded: headersSent,
    getHeader: (name: string) => headers.get(name.toLowerCase()),
    getHeaders: () => Object.fromEntries(headers),
    hasHeader: (name: string) => headers.has(name.toLowerCase()),
    setHeader(name: string, value: number | string | readonly string[]) {
      headers.set(name.toLowerCase(), typeof value === 'object' ? [...value] : value)
      return this
    },
    appendHeader(name: string, value: string | readonly string[]) {
      const current = headers.get(name.toLowerCase())
      const lines = (line: number | string | readonly string[]) => (typeof line === 'object' ? [...line] : [String(line)])
      return this.setHeader(name, current === undefined ? value : [...lines(current), ...lines(value)])
    },
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  }
}

function socketEvent(url: string, headers: NodeHeaders, context: Record<string, unknown> | undefined, headersSent: boolean): H3Event {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  }
  catch {
    // A relative or broken URL: the path is all that is read, and the Host header stays as sent.
  }
  const encrypted = parsed ? parsed.protocol === 'https:' || parsed.protocol === 'wss:' : false
  const req = { method: 'GET', url: parsed ? parsed.pathname + parsed.search : '/', headers, connection: { encrypted }, socket: { encrypted } }
  const event = createEvent(req as unknown as IncomingMessage, responseOf(headersSent) as unknown as ServerResponse)
  keepOneCookiePerName(event)
  // What Nitro puts on a request's context. There is no request event to read per-request config from: the shared
  // runtime config, asked again for every socket event (an env change reaches the next handshake).
  event.context.nitro = { errors: [], runtimeConfig: useRuntimeConfig() }
  if (context) event.context.socket = context
  return event
}

const nodeHeaders = (headers: Headers): NodeHeaders => Object.fromEntries(headers)

/**
 * The h3 event the module reads for `source`. An upgrade request gets one event for the whole handshake; a peer gets a
 * new one at every call (a socket outlives its tokens: each call checks them again, from the socket's latest cookies).
 */
export function toAmplifyEvent(source: AmplifyEventSource): H3Event {
  if (isEvent(source)) return source
  if (!isPeer(source)) {
    const known = upgradeEvents.get(source)
    if (known) return known
    const headers = nodeHeaders(source.headers)
    const event = socketEvent(source.url, headers, source.context, false)
    const context = socketContext(source.context)
    if (context) context[SOCKET_COOKIES] = headers
    upgradeEvents.set(source, event)
    return event
  }
  const context = socketContext(source.context)
  const shared = context?.[SOCKET_COOKIES]
  // Adapters that do not carry the upgrade's context to the peer: the handshake's headers, kept on the peer's context.
  const headers = shared ?? nodeHeaders(source.request?.headers ?? new Headers())
  if (!shared && context) context[SOCKET_COOKIES] = headers
  return socketEvent(source.request?.url ?? '/', headers, source.context, true)
}

/** The `Set-Cookie` headers that reading the session on `request` wrote (a refresh, or the deletion of a dead session). */
export function upgradeSetCookies(request: AmplifyUpgradeRequest): string[] {
  const value = upgradeEvents.get(request)?.node.res.getHeader('set-cookie')
  return value === undefined ? [] : [value].flat().map(String)
}

/**
 * `error`, made answerable by crossws: it ends a refused handshake with `error.response` (a `Response`), and leaves
 * any other error unhandled — the socket would hang. The body is the same JSON as an h3 route's error.
 */
export function withUpgradeResponse(error: H3Error): H3Error & { response: Response } {
  const body = JSON.stringify({ statusCode: error.statusCode, message: error.message, data: error.data })
  return Object.assign(error, { response: new Response(body, { status: error.statusCode, statusText: error.statusMessage ?? '' }) })
}
