import { list } from 'aws-amplify/storage/server'

// Storage from a server route: public files, readable by guests through the identity pool's guest credentials.
export default defineEventHandler(async (event) => {
  const { items } = await runAmplifyApi(event, ctx => list(ctx, { path: 'public/' }))
  return items.map(item => ({ path: item.path, size: item.size, lastModified: item.lastModified }))
})
