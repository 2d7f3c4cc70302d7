// A GraphQL document of one's own, beside the data client's generated ones (todos routes).
export default defineEventHandler(async (event) => {
  const { data } = await getAmplifyGraphQLClient(event).graphql({ query: '{ listTodos { items { content owner } } }' })
  return (data as { listTodos: { items: { content: string, owner: string }[] } }).listTodos.items
})
