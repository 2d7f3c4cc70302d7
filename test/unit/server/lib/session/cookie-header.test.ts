import { describe, expect, it } from 'vitest'
import { findCookie, parseCookieHeader, UNSURE } from '../../../../../src/runtime/server/lib/session/cookie-header'
import { createCookieJar } from '../../../../../src/runtime/server/lib/session/cookie-jar'
import { encodeCookieName } from '../../../../../src/runtime/shared/cookies'

import { eventWith } from '../../../../support/unit'

const name = 'CognitoIdentityServiceProvider.client1.a@b.com.idToken'
const encoded = 'CognitoIdentityServiceProvider.client1.a%40b.com.idToken'

/** findCookie either says UNSURE or agrees with the full parse — never another value. */
function expectAgreement(header: string, cookieName: string) {
  const quick = findCookie(header, encodeCookieName(cookieName))
  const full = parseCookieHeader(eventWith(header)).get(cookieName)
  if (quick !== UNSURE) expect(quick, `${cookieName} in ${JSON.stringify(header)}`).toBe(full)
  return quick
}

describe('findCookie', () => {
  it('reads a cookie where the browser writes it, as the full parser would', () => {
    expect(expectAgreement(`x=1; ${encoded}=tok.en; y=2`, name)).toBe('tok.en')
    expect(expectAgreement(`${encoded}=a%2Fb`, name)).toBe('a/b')
    expect(expectAgreement(`${encoded}=a%E0%A4%A`, name)).toBe('a%E0%A4%A')
    expect(expectAgreement(`${encoded}="quoted"`, name)).toBe('quoted')
    expect(expectAgreement(`x=1;\t ${encoded}= padded ;y=2`, name)).toBe('padded')
    expect(expectAgreement(`${encoded}=first; ${encoded}=second`, name)).toBe('first')
    expect(expectAgreement(`${name}=raw; ${encoded}=encoded`, name)).toBe('encoded')
    // Where the name occurs elsewhere than as a cookie's name, the walk cookie by cookie still finds the cookie.
    expect(expectAgreement(`other=${encoded}=inside a value; ${encoded}=real`, name)).toBe('real')
    expect(expectAgreement(`x${encoded}=suffix; ${encoded}=real`, name)).toBe('real')
    expect(expectAgreement(`\n${encoded}=edged with a newline; ${encoded}=second`, name)).toBe('edged with a newline')
    expect(expectAgreement(`novalue; ${encoded}=after`, name)).toBe('after')
    expect(expectAgreement(`\u2003${encoded}=edged with an em space`, name)).toBe('edged with an em space')
  })

  it('leaves to the full parser what it cannot tell alone', () => {
    for (const header of [
      '',
      `${name}=raw only`,
      `${encoded} =spaced; ${encoded}=real`,
      `${encoded}\u00A0=edged with a no-break space; ${encoded}=real`,
      // Not whitespace to String.prototype.trim, so not to cookie-es: part of the name.
      `\u0001${encoded}=a control character`,
      'CognitoIdentityServiceProvider%2Eclient1.a%40b.com.idToken=another spelling',
    ]) expect(expectAgreement(header, name)).toBe(UNSURE)
  })

  it('never disagrees with the full parser on generated headers', () => {
    const parts = ['\n', '\u00A0', '\u2003', '\u0001', `${encoded}=`, `; ${encoded}=`, `; ${encoded}=`, encoded, `${name}=`, `${encoded} `, ` ${encoded}`, 'x', '=', ';', '; ', '%', '%40', '"', ' ', '\t', 'tok.en', 'a%2Fb', encoded.slice(0, 20)]
    let seed = 7
    const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n
    let answered = 0
    for (let i = 0; i < 3000; i++) {
      const header = Array.from({ length: 2 + random(10) }, () => parts[random(parts.length)]).join('')
      if (expectAgreement(header, name) !== UNSURE) answered++
    }
    // Many generated headers must be answered, or this test would prove nothing.
    expect(answered).toBeGreaterThan(500)
  })
})

describe('a cookie jar read without parsing', () => {
  it('answers from the header, then from its own writes', () => {
    const event = eventWith(`${encoded}=old; other=1`)
    const jar = createCookieJar(event, { path: '/', sameSite: 'lax' })
    expect(jar.get(name)?.value).toBe('old')
    expect(jar.get('missing')).toBeUndefined()
    jar.set(name, 'new')
    expect(jar.get(name)?.value).toBe('new')
    expect(jar.getAll()).toEqual([{ name, value: 'new' }, { name: 'other', value: '1' }])
  })
})
