import type { Schema } from '../../amplify/data/resource'

export default defineEventHandler(async (event) => {
  const { content } = await readBody<{ content: string }>(event)
  const { data } = await getAmplifyDataClient<Schema>(event).models.Todo.create({ content })
  return { content: data?.content, owner: data?.owner }
})
