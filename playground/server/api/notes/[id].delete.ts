import type { GraphQLQuery } from 'aws-amplify/api'

// GraphQL mutation from a server route; the GraphQL API lets each user delete only their own notes.
export default defineEventHandler(async (event) => {
  await requireAmplifyUser(event)
  const { data } = await getAmplifyGraphQLClient(event).graphql<GraphQLQuery<{ deleteNote: { id: string } | null }>>({
    query: 'mutation Del($id: ID!) { deleteNote(id: $id) { id } }',
    variables: { id: getRouterParam(event, 'id') },
  })
  return data.deleteNote
})
