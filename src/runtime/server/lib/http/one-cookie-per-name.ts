import type { H3Event } from 'h3'

type HeaderValue = number | string | readonly string[]

/** What a browser keeps apart: the same name under another domain or path is another cookie. */
function cookieKey(line: string): string {
  const [pair = '', ...attributes] = line.split(';')
  const eq = pair.indexOf('=')
  let domain = ''
  let path = '/'
  for (const attribute of attributes) {
    const [name = '', value = ''] = attribute.split('=', 2).map(part => part.trim())
    const lower = name.toLowerCase()
    if (lower === 'domain') domain = value.toLowerCase().replace(/^\./, '')
    else if (lower === 'path') path = value || '/'
  }
  return `${(eq === -1 ? pair : pair.slice(0, eq)).trim()};${domain};${path}`
}

/**
 * `Set-Cookie` lines with one line per cookie, the last one written: what the browser would end up with anyway,
 * without sending it a refreshed token and the one it replaces in the same response.
 */
export function collapseSetCookies(lines: readonly string[]): string[] {
  if (lines.length < 2) return [...lines]
  const last = new Map<string, string>()
  for (const line of lines) {
    const key = cookieKey(line)
    // Deleted first, so that the line takes the place of its last write.
    last.delete(key)
    last.set(key, line)
  }
  return [...last.values()]
}

const toLines = (value: HeaderValue): string[] => (Array.isArray(value) ? [...value] : [String(value)])

/**
 * Keeps one `Set-Cookie` per cookie in this response, whoever writes it: h3's `setCookie` already replaces its own
 * writes, but `appendResponseHeader` (an app forwarding the cookies of a `useRequestFetch` call, as Nuxt's docs show),
 * `sendWebResponse` and other libraries' writes only add. Done as the headers are set, so that every way out
 * (pages, routes, errors, redirects, serverless presets) sends the collapsed list.
 */
export function keepOneCookiePerName(event: H3Event): void {
  const res = event.node.res
  const setHeader = res.setHeader
  const appendHeader = res.appendHeader as typeof res.appendHeader | undefined
  const isSetCookie = (name: string) => name.length === 10 && name.toLowerCase() === 'set-cookie'
  res.setHeader = function (name, value) {
    return setHeader.call(this, name, isSetCookie(name) ? collapseSetCookies(toLines(value)) : value)
  }
  if (appendHeader) {
    res.appendHeader = function (name, value) {
      if (!isSetCookie(name)) return appendHeader.call(this, name, value)
      const current = this.getHeader(name)
      return setHeader.call(this, name, collapseSetCookies([...(current === undefined ? [] : toLines(current)), ...toLines(value)]))
    }
  }
}
