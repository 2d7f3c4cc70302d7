// GraphQL from a server route: the request's client, with the signed-in user's token (user-pool auth).
export default defineEventHandler(async (event) => {
  await requireAmplifyUser(event)
  const { data } = await getAmplifyGraphQLClient(event).graphql({ query: 'query ListNotes { listNotes { id text createdAt } }' }) as { data: { listNotes: unknown[] } }
  return data.listNotes
})
