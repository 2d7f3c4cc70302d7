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

const SEMICOLON = 59
const SPACE = 32
const TAB = 9
const QUOTE = 34
const EQUALS = 61

/**
 * The value of a cookie under the name the browser writes (`encoded`, as `encodeCookieName` spells it), read
 * straight from the Cookie header — the same value as `parseCookieHeader` gives, without splitting a 3 KB header of
 * tokens on every request. `UNSURE` when that name's first occurrence is not a plain `name=` at the start of a
 * cookie, or when it is absent (another spelling of the name may be there): the caller then parses the whole header.
 */
export function findCookie(header: string, encoded: string): string | typeof UNSURE {
  // Searched by the name's tail (`.accessToken`), then the rest compared: every Amplify cookie name starts with the
  // same 60 characters, which make a search for the whole name several times slower.
  // The first tail preceded by the rest of the name is the name's first occurrence.
  const dot = encoded.lastIndexOf('.')
  const tail = dot > 0 ? encoded.slice(dot) : encoded
  const head = dot > 0 ? encoded.slice(0, dot) : ''
  let found = header.indexOf(tail)
  while (found !== -1 && (found < dot || header.slice(found - dot, found) !== head)) found = header.indexOf(tail, found + 1)
  if (found === -1) return UNSURE
  const at = found - head.length
  const end = found + tail.length
  if (header.charCodeAt(end) !== EQUALS) return UNSURE
  let before = at - 1
  while (before >= 0 && (header.charCodeAt(before) === SPACE || header.charCodeAt(before) === TAB)) before--
  if (before >= 0 && header.charCodeAt(before) !== SEMICOLON) return UNSURE
  const next = header.indexOf(';', end)
  // As h3's parser (cookie-es) reads a value: trimmed, quotes dropped, percent-decoded when it can be.
  let value = header.slice(end + 1, next === -1 ? undefined : next).trim()
  if (value.charCodeAt(0) === QUOTE) value = value.slice(1, -1)
  return value.includes('%') ? decodedValue(value) : value
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
