import { describe, expect, it } from 'vitest'
import { appendResponseHeader, deleteCookie, setCookie, setResponseHeader } from 'h3'
import { collapseSetCookies, keepOneCookiePerName } from '../../../../../src/runtime/server/lib/http/one-cookie-per-name'
import { eventWith, setCookieHeaders } from '../../../../support/unit'

describe('collapseSetCookies', () => {
  it('keeps the last write of each cookie, in the place of that write', () => {
    expect(collapseSetCookies(['a=1; Path=/', 'b=1; Path=/', 'a=2; Path=/; HttpOnly', 'c=1'])).toEqual(['b=1; Path=/', 'a=2; Path=/; HttpOnly', 'c=1'])
  })

  it('keeps cookies of one name apart when their domain or path differ, as browsers do', () => {
    const lines = ['a=1; Path=/', 'a=2; Path=/api/auth', 'a=3; Domain=example.com', 'a=4; domain=.EXAMPLE.com; path=/']
    expect(collapseSetCookies(lines)).toEqual(['a=1; Path=/', 'a=2; Path=/api/auth', 'a=4; domain=.EXAMPLE.com; path=/'])
  })

  it('treats a deletion as a write', () => {
    expect(collapseSetCookies(['a=new; Path=/', 'a=; Max-Age=0; Path=/'])).toEqual(['a=; Max-Age=0; Path=/'])
  })
})

describe('keepOneCookiePerName', () => {
  it('collapses what h3 only appends: forwarded cookies, set headers, and h3\'s own writes after them', () => {
    const event = eventWith('')
    keepOneCookiePerName(event)
    setCookie(event, 'token', 'refreshed-by-the-page', { path: '/' })
    appendResponseHeader(event, 'set-cookie', 'token=refreshed-by-an-internal-call; Path=/')
    appendResponseHeader(event, 'set-cookie', 'theme=dark; Path=/')
    setResponseHeader(event, 'Set-Cookie', [...setCookieHeaders(event), 'theme=light; Path=/'])
    event.node.res.appendHeader('set-cookie', ['other=1', 'theme=light; Path=/'])
    deleteCookie(event, 'gone', { path: '/' })
    expect(setCookieHeaders(event)).toEqual([
      'token=refreshed-by-an-internal-call; Path=/',
      'other=1',
      'theme=light; Path=/',
      'gone=; Max-Age=0; Path=/',
    ])
  })

  it('leaves other headers alone', () => {
    const event = eventWith('')
    keepOneCookiePerName(event)
    appendResponseHeader(event, 'vary', 'cookie')
    appendResponseHeader(event, 'vary', 'cookie')
    expect(event.node.res.getHeader('vary')).toEqual(['cookie', 'cookie'])
  })
})
