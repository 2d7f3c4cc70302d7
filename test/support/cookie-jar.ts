// A browser's cookie jar, just enough for HTTP-level tests: reads Set-Cookie with its attributes, honours Path,
// Max-Age=0 deletions and expiry, and writes the Cookie header a browser would send.

export interface SetCookie {
  name: string
  value: string
  /** Lower-cased attribute names; flags (`httponly`, `secure`) are `true`. */
  attributes: Record<string, string | true>
}

export function parseSetCookies(res: Response): SetCookie[] {
  return res.headers.getSetCookie().map((line) => {
    const [pair, ...parts] = line.split(';').map(part => part.trim())
    const at = pair!.indexOf('=')
    const attributes = Object.fromEntries(parts.map((part) => {
      const eq = part.indexOf('=')
      return eq < 0 ? [part.toLowerCase(), true] : [part.slice(0, eq).toLowerCase(), part.slice(eq + 1)]
    }))
    return { name: pair!.slice(0, at), value: pair!.slice(at + 1), attributes }
  })
}

export class TestCookieJar {
  readonly cookies = new Map<string, { value: string, path: string }>()

  /** Applies a response's Set-Cookie headers; returns them. */
  update(res: Response): SetCookie[] {
    const set = parseSetCookies(res)
    for (const { name, value, attributes } of set) {
      const path = typeof attributes.path === 'string' ? attributes.path : '/'
      const key = `${path} ${name}`
      if (attributes['max-age'] === '0' || value === '') this.cookies.delete(key)
      else this.cookies.set(key, { value, path })
    }
    return set
  }

  /** The Cookie header for a request to `path`. */
  header(path = '/'): string {
    return [...this.cookies]
      .filter(([, cookie]) => path === cookie.path || path.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`) || cookie.path === '/')
      .map(([key, cookie]) => `${key.slice(key.indexOf(' ') + 1)}=${cookie.value}`)
      .join('; ')
  }

  names(): string[] {
    return [...this.cookies.keys()].map(key => decodeURIComponent(key.slice(key.indexOf(' ') + 1)))
  }

  get(name: string): string | undefined {
    for (const [key, cookie] of this.cookies) {
      if (decodeURIComponent(key.slice(key.indexOf(' ') + 1)) === name) return decodeURIComponent(cookie.value)
    }
  }
}
