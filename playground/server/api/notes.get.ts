import type { GraphQLQuery } from 'aws-amplify/api'

interface Note { id: string, text: string, createdAt: string }

// GraphQL from a server route: the request's client, with the signed-in user's token (user-pool auth).
export default defineEventHandler(async (event) => {
  await requireAmplifyUser(event)
  const { data } = await getAmplifyGraphQLClient(event).graphql<GraphQLQuery<{ listNotes: Note[] }>>({ query: 'query ListNotes { listNotes { id text createdAt } }' })
  return data.listNotes
})
