import type { Schema } from '~~/amplify/data/resource'

// Deletes one of the signed-in user's todos; someone else's answers 403.
export default defineEventHandler(async (event) => {
  const { data } = await getAmplifyDataClient<Schema>(event).models.Todo.delete({ id: getRouterParam(event, 'id')! })
  return { id: data?.id ?? null }
})
