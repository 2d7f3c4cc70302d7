import { deleteCookie, getRequestHost, getRequestProtocol, setCookie } from 'h3'
import type { H3Event } from 'h3'
import type { CookieStorage } from 'aws-amplify/adapter-core'
import { BROWSER_COOKIE_LIMIT, encodeCookieName, isSecureCookie } from '../../../shared/cookies'
import { BoundedMap } from '../cache/bounded-map'
import { encodedCookieName, findCookie, parseCookieHeader, UNSURE } from './cookie-header'
import type { CookieRuntimeConfig } from '../../../shared/config'

export interface CookieJar extends CookieStorage.Adapter {
  /** `get(name)?.value` for a caller that already has the name as the browser writes it (`encodeCookieName`). */
  read(name: string, encodedName: string): string | undefined
  /** Deletes every cookie whose (decoded) name starts with `prefix`; returns how many there were. */
  deleteMatching(prefix: string): number
}

// Said once per cookie name (of the last 100), not on every write of a session that is too big.
const warnedOversized = new BoundedMap<string, true>(100)

function warnIfOversized(name: string, value: string) {
  const size = name.length + encodeURIComponent(value).length
  if (size <= BROWSER_COOKIE_LIMIT || warnedOversized.has(name)) return
  warnedOversized.set(name, true)
  console.warn(`[nuxt-amplify-ssr] Cookie "${name}" is ${size} bytes, over the ${BROWSER_COOKIE_LIMIT}-byte limit of browsers, `
    + 'which will drop it. Reduce the token\'s custom attributes or groups.')
}

/**
 * Whether this request's cookies get `Secure`. Read from the Host header without URL parsing: a hostile Host
 * (`[`) must not turn a cookie write into a 500.
 */
export function isSecureRequest(event: H3Event, options: CookieRuntimeConfig): boolean {
  const host = getRequestHost(event)
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!
  return isSecureCookie(options, `${getRequestProtocol(event)}:`, hostname)
}

/**
 * Amplify's cookie storage adapter over one request's cookies. Reads see this request's own writes
 * (a refresh followed by another call must not refresh again); writes become Set-Cookie headers with the
 * configured attributes, under the names the browser client uses. An `anonymous` jar starts empty and writes nothing.
 */
export function createCookieJar(event: H3Event, options: CookieRuntimeConfig, { anonymous = false } = {}): CookieJar {
  // Parsed on first need: a signed-in request reads three or four cookies of a header full of tokens, and
  // `findCookie` finds those where the browser put them. Keyed by decoded name.
  let parsed: Map<string, string> | undefined = anonymous ? new Map() : undefined
  const jar = () => (parsed ??= parseCookieHeader(event))
  let secure: boolean | undefined
  const attributes = () => {
    secure ??= isSecureRequest(event, options)
    return { domain: options.domain, path: options.path, sameSite: options.sameSite, secure, httpOnly: options.httpOnly ?? false }
  }
  const writable = () => !anonymous && !event.node.res.headersSent
  // The request's own Cookie header follows the jar, so that `event.$fetch`/`useRequestFetch` calls to the app's
  // own API routes during SSR carry the refreshed tokens instead of refreshing (or failing) a second time.
  const syncRequestHeader = () => {
    if (anonymous) return
    event.node.req.headers.cookie = [...jar()].map(([name, value]) => `${encodeCookieName(name)}=${encodeURIComponent(value)}`).join('; ')
  }

  const remove = (name: string) => {
    if (!jar().delete(name)) return false
    if (writable()) deleteCookie(event, encodeCookieName(name), attributes())
    return true
  }

  const read = (name: string, encodedName: string) => {
    const found = parsed ? UNSURE : findCookie(event.node.req.headers.cookie ?? '', encodedName)
    return found === UNSURE ? jar().get(name) : found
  }

  return {
    read,
    get(name) {
      const value = read(name, encodedCookieName(name))
      return value === undefined ? undefined : { name, value }
    },
    getAll() {
      return [...jar()].map(([name, value]) => ({ name, value }))
    },
    set(name, value, amplifyOptions) {
      jar().set(name, value)
      syncRequestHeader()
      if (!writable()) return
      warnIfOversized(encodeCookieName(name), value)
      setCookie(event, encodeCookieName(name), value, {
        ...attributes(),
        maxAge: options.maxAge ?? amplifyOptions?.maxAge,
        expires: options.maxAge ? undefined : amplifyOptions?.expires,
      })
    },
    delete(name) {
      if (remove(name)) syncRequestHeader()
    },
    deleteMatching(prefix) {
      const names = [...jar().keys()].filter(name => name.startsWith(prefix))
      for (const name of names) remove(name)
      if (names.length) syncRequestHeader()
      return names.length
    },
  }
}
