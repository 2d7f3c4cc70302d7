// Never called: checked by the consumer's typecheck. The module's PageMeta augmentation must accept the
// documented values and reject others; an unused @ts-expect-error fails the typecheck.
import type { NitroRouteConfig } from 'nitropack/types'

export function pageMetaTypes() {
  definePageMeta({ amplifyAuth: true })
  definePageMeta({ amplifyAuth: 'guest' })
  definePageMeta({ middleware: 'amplify-auth' })
  definePageMeta({ amplifyAuth: { groups: ['admin'] } })
  // @ts-expect-error amplifyAuth is boolean | 'guest' | { groups }
  definePageMeta({ amplifyAuth: 'yes' })
  // @ts-expect-error groups is a list
  definePageMeta({ amplifyAuth: { groups: 'admin' } })
}

export function routeRuleTypes() {
  const rules: Record<string, NitroRouteConfig> = {
    '/admin/**': { amplifyAuth: { groups: ['admin'] } },
    '/login': { amplifyAuth: 'guest' },
    // @ts-expect-error not a rule
    '/typo': { amplifyAuth: 'admin' },
  }
  return rules
}
