import type { Schema } from '../../amplify/data/resource'

// The caller's own todos (owner rule); signed out: 401 JSON.
export default defineEventHandler(async (event) => {
  const { data } = await getAmplifyDataClient<Schema>(event).models.Todo.list({ selectionSet: ['content', 'owner'] })
  return data
})
