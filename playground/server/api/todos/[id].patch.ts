import type { Schema } from '~~/amplify/data/resource'

// Marks one of the signed-in user's todos done or not done; someone else's answers 403.
export default defineEventHandler(async (event) => {
  const { done } = await readBody<{ done?: unknown }>(event)
  if (typeof done !== 'boolean') throw createError({ statusCode: 400, message: 'Send { done: boolean }' })
  const { data } = await getAmplifyDataClient<Schema>(event).models.Todo.update({ id: getRouterParam(event, 'id')!, done })
  return { id: data!.id, content: data!.content, done: data!.done }
})
