import { describe, expect, it, vi } from 'vitest'
import { createCookieJar } from '../../../../../src/runtime/server/lib/session/cookie-jar'
import { decodeCookieName, encodeCookieName } from '../../../../../src/runtime/shared/cookies'
import type { CookieRuntimeConfig } from '../../../../../src/runtime/shared/config'

import { eventWith, setCookieHeaders as setCookies } from '../../../../support/unit'

const options: CookieRuntimeConfig = { path: '/', sameSite: 'lax' }
const prefix = 'CognitoIdentityServiceProvider.client1'

describe('cookie names', () => {
  it('encode like js-cookie, the browser client', () => {
    expect(encodeCookieName(`${prefix}.a+b@example.com.idToken`)).toBe(`${prefix}.a+b%40example.com.idToken`)
    expect(encodeCookieName('a(b)c')).toBe('a%28b%29c')
    expect(encodeCookieName('plain-name_1.x')).toBe('plain-name_1.x')
  })

  it('decode, leaving broken percent-encoding as it is', () => {
    expect(decodeCookieName('a%40b')).toBe('a@b')
    expect(decodeCookieName('a%E0%A4%A')).toBe('a%E0%A4%A')
  })
})

describe('createCookieJar', () => {
  it('reads names in the encoded form the browser writes and in the raw form', () => {
    const jar = createCookieJar(eventWith(`${prefix}.a%40b.com.idToken=tok%2Fen; ${prefix}.LastAuthUser=a@b.com`), options)
    expect(jar.get(`${prefix}.a@b.com.idToken`)).toEqual({ name: `${prefix}.a@b.com.idToken`, value: 'tok/en' })
    expect(jar.get(`${prefix}.LastAuthUser`)?.value).toBe('a@b.com')
    expect(jar.get('missing')).toBeUndefined()
    expect(jar.getAll()).toHaveLength(2)
  })

  it('prefers the encoded copy when both forms are present', () => {
    const jar = createCookieJar(eventWith('x%40y=encoded; x@y=raw'), options)
    expect(jar.get('x@y')?.value).toBe('encoded')
  })

  it('writes with the configured attributes under the encoded name, and later reads see the write', () => {
    const event = eventWith('')
    const jar = createCookieJar(event, { ...options, domain: 'example.com', maxAge: 3600 })
    jar.set(`${prefix}.a@b.com.accessToken`, 'new', { maxAge: 31536000, secure: false, sameSite: 'none' })
    expect(jar.get(`${prefix}.a@b.com.accessToken`)?.value).toBe('new')
    const [header] = setCookies(event)
    expect(header).toMatch(new RegExp(`^${prefix}\\.a%40b\\.com\\.accessToken=new;`))
    expect(header).toContain('Max-Age=3600')
    expect(header).toContain('Domain=example.com')
    expect(header).toContain('SameSite=Lax')
    expect(header).toContain('Secure')
    expect(header).not.toContain('HttpOnly')
  })

  it('is not Secure on plain HTTP localhost unless configured', () => {
    const local = eventWith('', 'localhost:3000')
    createCookieJar(local, options).set('k', 'v')
    expect(setCookies(local)[0]).not.toContain('Secure')
    const forced = eventWith('', 'localhost:3000')
    createCookieJar(forced, { ...options, secure: true }).set('k', 'v')
    expect(setCookies(forced)[0]).toContain('Secure')
  })

  it('deletes a cookie it has, and says nothing for one it never had', () => {
    const event = eventWith('a%40b=1')
    const jar = createCookieJar(event, options)
    jar.delete('never')
    expect(setCookies(event)).toEqual([])
    jar.delete('a@b')
    expect(jar.get('a@b')).toBeUndefined()
    expect(setCookies(event)[0]).toMatch(/^a%40b=; Max-Age=0;/)
  })

  it('skips writes once the headers are sent', () => {
    const event = eventWith('')
    const jar = createCookieJar(event, options)
    Object.defineProperty(event.node.res, 'headersSent', { value: true })
    jar.set('k', 'v')
    expect(jar.get('k')?.value).toBe('v')
    expect(setCookies(event)).toEqual([])
  })
  it('warns once, naming the cookie, when a write exceeds what browsers keep', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const jar = createCookieJar(eventWith(''), options)
    jar.set(`${prefix}.big@example.com.idToken`, 'x'.repeat(5000))
    jar.set(`${prefix}.big@example.com.idToken`, 'x'.repeat(5000))
    jar.set(`${prefix}.big@example.com.accessToken`, 'x'.repeat(1000))
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toContain(`${prefix}.big%40example.com.idToken`)
    warn.mockRestore()
  })

  it('keeps the request\'s Cookie header in step with its writes, for internal fetches', () => {
    const event = eventWith('a%40b=old; other=1')
    const jar = createCookieJar(event, options)
    jar.set('a@b', 'new value')
    jar.delete('other')
    expect(event.node.req.headers.cookie).toBe('a%40b=new%20value')
  })
})
