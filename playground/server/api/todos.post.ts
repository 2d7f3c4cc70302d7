import type { Schema } from '~~/amplify/data/resource'

// Creates a todo owned by the signed-in user.
export default defineEventHandler(async (event) => {
  const { content } = await readBody<{ content?: unknown }>(event)
  if (typeof content !== 'string' || !content) throw createError({ statusCode: 400, message: 'Send { content }' })
  const { data } = await getAmplifyDataClient<Schema>(event).models.Todo.create({ content })
  return { id: data!.id, content: data!.content, done: data!.done }
})
