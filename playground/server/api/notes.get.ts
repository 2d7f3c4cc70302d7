import type { Schema } from '~~/amplify/data/resource'

// Gen2 data from a server route: the request's client with the signed-in user's token (the Note model is owner-only:
// a signed-out caller gets 401 JSON).
export default defineEventHandler(async (event) => {
  const { data } = await getAmplifyDataClient<Schema>(event).models.Note.list({ selectionSet: ['id', 'text', 'createdAt'] })
  return data
})
