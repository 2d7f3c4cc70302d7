// Never called: checked by the consumer's typecheck. The module's PageMeta augmentation must accept the
// documented values and reject others, and the data client's types must follow the app's own schema; an
// unused @ts-expect-error fails the typecheck.
import type { Schema } from '../amplify/data/resource'
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

export async function dataTypes() {
  const { models } = useAmplifyData<Schema>()
  const { data } = await models.Todo.create({ content: 'typed', done: false })
  const content: string | undefined = data?.content
  // @ts-expect-error no such field on Todo
  await models.Todo.create({ content: 'typed', title: 'typo' })
  return content
}
