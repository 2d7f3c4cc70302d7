import { deleteCookie, getRequestURL, parseCookies, setCookie } from 'h3'
import type { H3Event } from 'h3'
import type { CookieStorage } from 'aws-amplify/adapter-core'
import { decodeCookieName, encodeCookieName, isSecureCookie } from '../../shared/cookies'
import type { AmplifyCookieOptions } from '../../shared/config'

/**
 * Amplify's cookie storage adapter over one request's cookies. Reads see this request's own writes
 * (a refresh followed by another call must not refresh again); writes become Set-Cookie headers with the
 * configured attributes, under the names the browser client uses.
 */
export function createCookieJar(event: H3Event, options: AmplifyCookieOptions): CookieStorage.Adapter {
  // Keyed by decoded name: the browser encodes `@` in names, older hand-written plugins did not.
  const jar = new Map<string, string>()
  for (const [name, value] of Object.entries(parseCookies(event))) {
    const decoded = decodeCookieName(name)
    if (!jar.has(decoded) || name === encodeCookieName(decoded)) jar.set(decoded, value)
  }
  let secure: boolean | undefined
  const attributes = () => {
    if (secure === undefined) {
      const url = getRequestURL(event)
      secure = isSecureCookie(options, url.protocol, url.hostname)
    }
    return { domain: options.domain, path: options.path, sameSite: options.sameSite, secure, httpOnly: options.httpOnly ?? false }
  }
  const writable = () => !event.node.res.headersSent

  return {
    get(name) {
      const value = jar.get(name)
      return value === undefined ? undefined : { name, value }
    },
    getAll() {
      return [...jar].map(([name, value]) => ({ name, value }))
    },
    set(name, value, amplifyOptions) {
      jar.set(name, value)
      if (!writable()) return
      setCookie(event, encodeCookieName(name), value, {
        ...attributes(),
        maxAge: options.maxAge ?? amplifyOptions?.maxAge,
        expires: options.maxAge ? undefined : amplifyOptions?.expires,
      })
    },
    delete(name) {
      const existed = jar.delete(name)
      if (!existed || !writable()) return
      deleteCookie(event, encodeCookieName(name), attributes())
    },
  }
}
