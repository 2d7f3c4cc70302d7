import { createError, isError, setCookie } from 'h3'
import { describe, expect, it, vi } from 'vitest'
import { toAmplifyEvent, upgradeSetCookies, withUpgradeResponse } from '../../../../../src/runtime/server/lib/http/websocket-event'
import type { AmplifyPeer, AmplifyUpgradeRequest } from '../../../../../src/runtime/server/lib/http/websocket-event'
import { eventWith } from '../../../../support/unit'

// Nitro's runtime config: what a socket's event is given, asked for again by each new event.
const runtimeConfig = vi.hoisted(() => ({ current: { app: { baseURL: '/' }, version: 1 } as Record<string, unknown> }))
vi.mock('nitropack/runtime', () => ({ useRuntimeConfig: () => runtimeConfig.current }))

/** An upgrade request as crossws's Node adapter gives it: URL, headers, and the context it shares with the peer. */
function upgradeRequest(url: string, headers: Record<string, string>): AmplifyUpgradeRequest & { context: Record<string, unknown> } {
  return { url, headers: new Headers(headers), context: {} }
}

/** The peer of that handshake: crossws's Node adapter hands it the upgrade's context, and a request over the same headers. */
const peerOf = (request: AmplifyUpgradeRequest & { context: Record<string, unknown> }): AmplifyPeer =>
  ({ request: { url: request.url, headers: new Headers(request.headers) }, context: request.context })

describe('toAmplifyEvent', () => {
  it('gives an h3 event back as it is', () => {
    const event = eventWith('a=1')
    expect(toAmplifyEvent(event)).toBe(event)
  })

  it('reads an upgrade request\'s cookies, host, path and scheme, and one event serves the whole handshake', () => {
    const request = upgradeRequest('https://app.example.com/_ws?room=1', { cookie: 'a=1; b=2', host: 'app.example.com' })
    const event = toAmplifyEvent(request)
    expect(event.node.req.headers.cookie).toBe('a=1; b=2')
    expect(event.node.req.headers.host).toBe('app.example.com')
    expect(event.path).toBe('/_ws?room=1')
    expect((event.node.req as unknown as { connection: { encrypted: boolean } }).connection.encrypted).toBe(true)
    expect(event.node.res.headersSent).toBe(false)
    expect(toAmplifyEvent(request)).toBe(event)
    expect(toAmplifyEvent(upgradeRequest(request.url, { cookie: 'a=1' }))).not.toBe(event)
  })

  it('reads plain http as not secure, and survives a URL that is not absolute', () => {
    expect((toAmplifyEvent(upgradeRequest('http://x/_ws', {})).node.req as unknown as { connection: { encrypted: boolean } }).connection.encrypted).toBe(false)
    const event = toAmplifyEvent(upgradeRequest('/_ws', { cookie: 'a=1' }))
    expect(event.path).toBe('/')
    expect(event.node.req.headers.cookie).toBe('a=1')
  })

  it('keeps the handshake\'s Set-Cookie writes, one per cookie, for the 101', () => {
    const request = upgradeRequest('http://x/_ws', {})
    const event = toAmplifyEvent(request)
    setCookie(event, 'a', '1')
    setCookie(event, 'b', '2')
    setCookie(event, 'a', '3')
    expect(upgradeSetCookies(request)).toEqual(['b=2; Path=/', 'a=3; Path=/'])
    expect(upgradeSetCookies(upgradeRequest('http://x/_ws', {}))).toEqual([])
  })

  it('gives a peer a new event at each call, which can no longer write the handshake\'s response', () => {
    const request = upgradeRequest('http://x/_ws', { cookie: 'a=1' })
    toAmplifyEvent(request)
    const peer = peerOf(request)
    const first = toAmplifyEvent(peer)
    expect(toAmplifyEvent(peer)).not.toBe(first)
    expect(first.node.res.headersSent).toBe(true)
    expect(first.node.req.headers.cookie).toBe('a=1')
  })

  it('starts a peer from the socket\'s latest cookies: what the handshake (or an earlier message) refreshed', () => {
    const request = upgradeRequest('http://x/_ws', { cookie: 'token=old' })
    // What the cookie jar does after a refresh: the request's Cookie header follows the jar.
    toAmplifyEvent(request).node.req.headers.cookie = 'token=new'
    const peer = peerOf(request)
    expect(toAmplifyEvent(peer).node.req.headers.cookie).toBe('token=new')
    toAmplifyEvent(peer).node.req.headers.cookie = 'token=newer'
    expect(toAmplifyEvent(peer).node.req.headers.cookie).toBe('token=newer')
  })

  it('keeps two sockets\' cookies apart', () => {
    const [a, b] = [upgradeRequest('http://x/_ws', { cookie: 'u=alice' }), upgradeRequest('http://x/_ws', { cookie: 'u=bob' })]
    toAmplifyEvent(a)
    toAmplifyEvent(b)
    expect(toAmplifyEvent(peerOf(a)).node.req.headers.cookie).toBe('u=alice')
    expect(toAmplifyEvent(peerOf(b)).node.req.headers.cookie).toBe('u=bob')
  })

  it('reads a peer\'s own handshake headers when the adapter did not carry the upgrade\'s context over', () => {
    const peer: AmplifyPeer = { request: { url: 'http://x/_ws', headers: new Headers({ cookie: 'u=carol' }) }, context: {} }
    expect(toAmplifyEvent(peer).node.req.headers.cookie).toBe('u=carol')
    const bare = toAmplifyEvent({ request: undefined, context: {} })
    expect(bare.node.req.headers.cookie).toBeUndefined()
  })

  it('puts the current runtime config on each socket event, not one read at first use', () => {
    const before = toAmplifyEvent(upgradeRequest('http://x/_ws', {}))
    expect(before.context.nitro.runtimeConfig).toMatchObject({ version: 1 })
    runtimeConfig.current = { ...runtimeConfig.current, version: 2 }
    expect(toAmplifyEvent(upgradeRequest('http://x/_ws', {})).context.nitro.runtimeConfig).toMatchObject({ version: 2 })
    expect(before.context.nitro.runtimeConfig).toMatchObject({ version: 1 })
  })
})

describe('withUpgradeResponse', () => {
  it('keeps the h3 error and adds the Response crossws refuses a handshake with', async () => {
    const error = withUpgradeResponse(createError({ statusCode: 403, statusMessage: 'Forbidden', message: 'Forbidden', data: { error: 'Forbidden' } }))
    expect(isError(error)).toBe(true)
    expect(error.response).toBeInstanceOf(Response)
    expect(error.response.status).toBe(403)
    expect(error.response.statusText).toBe('Forbidden')
    expect(await error.response.json()).toEqual({ statusCode: 403, message: 'Forbidden', data: { error: 'Forbidden' } })
  })
})
