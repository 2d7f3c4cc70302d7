import type { AmplifyAuthRule } from './access-rule'

// `amplifyAuth` route rules, matched the same way on the server (API routes, SSR) and in the browser (client-side
// navigation). Nitro's own `getRouteRules` merges every matching rule with defu, which would concatenate the `groups`
// of `/admin/**` and `/admin/billing/**`: here the most specific pattern decides alone.

interface CompiledPattern<T> {
  segments: string[]
  /** Ends with `**`: also matches the path above it and anything below. */
  rest: boolean
  statics: number
  value: T
}

/**
 * A request path as the router sees it, for matching: no query or hash, percent-decoding and dot segments resolved,
 * slashes collapsed, no trailing slash, lower case (Nuxt's router matches pages case-insensitively, so must the rules).
 */
export function normalizeRulePath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0]!
  let decoded = bare
  try {
    decoded = decodeURIComponent(bare)
  }
  catch { /* not valid percent-encoding: matched as it is */ }
  const segments: string[] = []
  for (const segment of decoded.split(/[/\\]+/)) {
    if (segment === '..') segments.pop()
    else if (segment && segment !== '.') segments.push(segment.toLowerCase())
  }
  return `/${segments.join('/')}`
}

function compile<T>(pattern: string, value: T): CompiledPattern<T> {
  const segments = normalizeRulePath(pattern).split('/').filter(Boolean)
  const rest = segments.length > 0 && segments.at(-1)!.startsWith('**')
  if (rest) segments.pop()
  const statics = segments.filter(segment => segment !== '*' && !segment.startsWith(':')).length
  return { segments, rest, statics, value }
}

function matches(pattern: CompiledPattern<unknown>, parts: string[]): boolean {
  if (pattern.rest ? parts.length < pattern.segments.length : parts.length !== pattern.segments.length) return false
  return pattern.segments.every((segment, i) => segment === '*' || segment.startsWith(':') || segment === parts[i])
}

/**
 * A matcher over `{ pattern: value }` (Nitro's route syntax: `/admin/**`, `/api/*`, `/api/users/:id`): the value of
 * the most specific matching pattern — most static segments, then exact before `**` — or undefined.
 */
export function createRouteMatcher<T>(patterns: Record<string, T>): (path: string) => T | undefined {
  const compiled = Object.entries(patterns).map(([pattern, value]) => compile(pattern, value))
    .sort((a, b) => b.statics - a.statics || Number(a.rest) - Number(b.rest) || b.segments.length - a.segments.length)
  return (path) => {
    const parts = normalizeRulePath(path).split('/').filter(Boolean)
    return compiled.find(pattern => matches(pattern, parts))?.value
  }
}

const matchers = new WeakMap<object, (path: string) => AmplifyAuthRule | undefined>()

/** The `amplifyAuth` route rule of a path (without the app's base URL), from the rules the module collected at build. */
export function matchAmplifyRouteRule(rules: Record<string, AmplifyAuthRule>, path: string): AmplifyAuthRule | undefined {
  let matcher = matchers.get(rules)
  if (!matcher) matchers.set(rules, matcher = createRouteMatcher(rules))
  return matcher(path)
}
