/**
 * Returns `target` when it is a path on this site, else `fallback`.
 * Redirect targets come from the query string: anything that a browser could read as another origin
 * (`//host`, `/\host`, `https://…`, control characters that browsers strip) is refused.
 */
export function safeRedirectPath(target: unknown, fallback = '/'): string {
  const value = Array.isArray(target) ? target[0] : target
  if (typeof value !== 'string' || value.length > 2048) return fallback
  if (!value.startsWith('/') || value.startsWith('//')) return fallback
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001F\u007F]/.test(value)) return fallback
  try {
    const url = new URL(value, 'http://same.invalid')
    if (url.origin !== 'http://same.invalid') return fallback
    const path = url.pathname + url.search + url.hash
    // Dot segments can fold into a protocol-relative URL: `/.//evil.example` resolves to `//evil.example`.
    return path.startsWith('//') ? fallback : path
  }
  catch {
    return fallback
  }
}

/** True when two paths are the same, ignoring a trailing slash. */
export function isSamePath(path: string, other: string): boolean {
  const trim = (p: string) => (p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p)
  return trim(path) === trim(other)
}
