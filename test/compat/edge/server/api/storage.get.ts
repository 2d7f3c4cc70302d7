import { list } from 'aws-amplify/storage/server'

// Amplify Storage on the server, with the identity pool's credentials.
export default defineEventHandler(async (event) => {
  const { items } = await runAmplifyApi(event, ctx => list(ctx, { path: 'public/' }))
  return items.map(item => item.path)
})
