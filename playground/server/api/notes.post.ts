import type { Schema } from '~~/amplify/data/resource'

// A Gen2 create from a server route, with the signed-in user's token: what the browser uses with serverAuth.
export default defineEventHandler(async (event) => {
  const { text } = await readBody<{ text?: unknown }>(event)
  if (typeof text !== 'string' || !text) throw createError({ statusCode: 400, message: 'Send { text }' })
  const { data } = await getAmplifyDataClient<Schema>(event).models.Note.create({ text })
  return { id: data!.id }
})
