import type { Schema } from '~~/amplify/data/resource'

// A Gen2 delete from a server route; the Note model's owner rule lets each user delete only their own notes (403).
export default defineEventHandler(async (event) => {
  const { data } = await getAmplifyDataClient<Schema>(event).models.Note.delete({ id: getRouterParam(event, 'id')! })
  return { id: data?.id ?? null }
})
