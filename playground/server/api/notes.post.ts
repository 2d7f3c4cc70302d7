import type { GraphQLQuery } from 'aws-amplify/api'

// GraphQL mutation from a server route, with the signed-in user's token: what the browser uses with serverAuth.
export default defineEventHandler(async (event) => {
  await requireAmplifyUser(event)
  const { text } = await readBody<{ text?: unknown }>(event)
  if (typeof text !== 'string' || !text) throw createError({ statusCode: 400, message: 'Send { text }' })
  const { data } = await getAmplifyGraphQLClient(event).graphql<GraphQLQuery<{ createNote: { id: string } }>>({
    query: 'mutation Add($text: String!) { createNote(text: $text) { id } }',
    variables: { text },
  })
  return data.createNote
})
