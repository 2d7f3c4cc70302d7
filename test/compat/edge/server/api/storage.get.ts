import { list } from 'aws-amplify/storage/server'

// Amplify Storage on the server: what each runtime makes of it is in docs/deployment.md.
export default defineEventHandler(async (event) => {
  const { items } = await runAmplifyApi(event, ctx => list(ctx, { path: 'public/' }))
  return items.map(item => item.path)
})
