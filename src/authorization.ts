// Build-time half of authorization: the `amplifyAuth` route rules, checked and handed to both sides, and the list of
// server routes that the rules answer with JSON (the rest are pages, left to the route middleware).
import type { Nitro, NitroConfig } from 'nitropack'
import { isAmplifyAuthRule } from './runtime/shared/access-rule'
import type { AmplifyAuthRule } from './runtime/shared/access-rule'
import { createRouteMatcher } from './runtime/shared/route-rules'

const CACHE_KEYS = ['swr', 'isr', 'cache', 'prerender'] as const

/** The part of a pattern that every path it matches starts with: `/admin/**` → `/admin`. */
const basePath = (pattern: string) => pattern.replace(/\/\*\*.*$/, '') || '/'

/**
 * The `amplifyAuth` values of `routeRules`, by pattern. Throws for a value that is not a rule, and for a protected
 * pattern that a cached rule also covers: a page rendered once for everyone cannot depend on a session.
 */
export function collectAmplifyRouteRules(routeRules: NitroConfig['routeRules'] = {}): Record<string, AmplifyAuthRule> {
  const rules: Record<string, AmplifyAuthRule> = {}
  const cached = Object.entries(routeRules).filter(([, rule]) => CACHE_KEYS.some(key => rule[key as keyof typeof rule]))
  for (const [pattern, rule] of Object.entries(routeRules)) {
    const value = (rule as { amplifyAuth?: unknown }).amplifyAuth
    if (value === undefined) continue
    if (!isAmplifyAuthRule(value)) {
      throw new Error(`[nuxt-amplify-ssr] routeRules['${pattern}'].amplifyAuth must be true, false, 'guest' or `
        + `{ groups: string[] }, got ${JSON.stringify(value)}.`)
    }
    const covered = cached.filter(([other]) => createRouteMatcher({ [other]: true })(basePath(pattern))
      || createRouteMatcher({ [pattern]: true })(basePath(other)))
    if (value !== false && covered.length) {
      const [other, otherRule] = covered[0]!
      const keys = CACHE_KEYS.filter(key => otherRule[key as keyof typeof otherRule]).join('/')
      throw new Error(`[nuxt-amplify-ssr] routeRules['${pattern}'] has amplifyAuth, and routeRules['${other}'] caches it `
        + `(${keys}): a cached or prerendered response is rendered once for every visitor, without a session, so it can `
        + `be neither protected nor personal. Remove ${keys} from the protected paths, or the protection from the cached ones.`)
    }
    rules[pattern] = value
  }
  return rules
}

/** The app's server routes, for `#amplify-server-routes`: neither Nuxt's renderer nor this module's own routes. */
export function appServerRoutes(nitro: Nitro, moduleRuntimeDir: string): string[] {
  const routes = new Set<string>()
  for (const handler of [...nitro.scannedHandlers, ...nitro.options.handlers]) {
    if (!handler.route || handler.middleware || typeof handler.handler !== 'string') continue
    if (handler.handler.startsWith(moduleRuntimeDir) || /[/\\]handlers[/\\]renderer/.test(handler.handler)) continue
    routes.add(handler.route)
  }
  return [...routes]
}
