import { parseCookies } from 'h3'
import type { H3Event } from 'h3'
import { decodeCookieName, encodeCookieName } from '../../../shared/cookies'
import { memoize } from '../cache/memoize'

/** The reader could not tell on its own: only parsing the whole header can. */
export const UNSURE = Symbol('unsure')

/** `encodeCookieName`, remembered: the same few names are looked up on every request. */
export const encodedCookieName = memoize(encodeCookieName)
// The same encoded values (signInDetails) come back with every request of a session.
const decodedValue = memoize(decodeCookieName)

const SPACE = 32
const QUOTE = 34
const EQUALS = 61
const WHITESPACE = /\s/

/** What `String.prototype.trim` strips (`\s`): where a cookie's name is edged with it, cookie-es trims. */
const isWhitespace = (code: number) => code === SPACE || ((code < SPACE || code > 127) && WHITESPACE.test(String.fromCharCode(code)))

/**
 * The value of a cookie under the name the browser writes (`encoded`, as `encodeCookieName` spells it), read
 * straight from the Cookie header — the same value as `parseCookieHeader` gives, without making a string of every
 * name and value of a 3 KB header of tokens on every request. The header's cookies are walked as h3's parser
 * (cookie-es) splits them: at `;`, the name before the first `=`, the first of a name winning. A cookie is the one
 * asked for when `encoded=` starts it (`encoded` has no `=`: encoding escapes it), so only the `;` are searched for.
 * `UNSURE` when the name is absent (another spelling of it may be there) or where a cookie that starts with the name
 * has whitespace before its `=`: the caller then parses the whole header.
 */
export function findCookie(header: string, encoded: string): string | typeof UNSURE {
  const length = header.length
  for (let at = 0; at < length;) {
    let end = header.indexOf(';', at)
    if (end === -1) end = length
    while (at < end && isWhitespace(header.charCodeAt(at))) at++
    const after = at + encoded.length
    const next = header.charCodeAt(after)
    // The names are compared only where one of the right length ends: every Amplify name starts the same 60 characters.
    if (after < end && (next === EQUALS || isWhitespace(next)) && header.slice(at, after) === encoded) {
      if (next !== EQUALS) return UNSURE
      // As cookie-es reads a value: trimmed, quotes dropped, percent-decoded when it can be.
      let value = header.slice(after + 1, end).trim()
      if (value.charCodeAt(0) === QUOTE) value = value.slice(1, -1)
      return value.includes('%') ? decodedValue(value) : value
    }
    at = end + 1
  }
  return UNSURE
}

/**
 * Every cookie of the request by decoded name. The browser encodes `@` in names, older hand-written plugins did
 * not: when both spellings are present, the browser's wins.
 */
export function parseCookieHeader(event: H3Event): Map<string, string> {
  const cookies = new Map<string, string>()
  for (const [name, value] of Object.entries(parseCookies(event))) {
    const decoded = name.includes('%') ? decodeCookieName(name) : name
    if (!cookies.has(decoded) || name === encodedCookieName(decoded)) cookies.set(decoded, value)
  }
  return cookies
}
