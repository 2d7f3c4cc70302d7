// Never called: checked by the consumer's typecheck. The module's PageMeta augmentation must accept the
// documented values and reject others, and the data client's types must follow the app's own schema; an
// unused @ts-expect-error fails the typecheck.
import type { Schema } from '../amplify/data/resource'

export function pageMetaTypes() {
  definePageMeta({ amplifyAuth: true })
  definePageMeta({ amplifyAuth: 'guest' })
  definePageMeta({ middleware: 'amplify-auth' })
  // @ts-expect-error amplifyAuth is boolean | 'guest'
  definePageMeta({ amplifyAuth: 'yes' })
}

export async function dataTypes() {
  const { models } = useAmplifyData<Schema>()
  const { data } = await models.Todo.create({ content: 'typed', done: false })
  const content: string | undefined = data?.content
  // @ts-expect-error no such field on Todo
  await models.Todo.create({ content: 'typed', title: 'typo' })
  return content
}
