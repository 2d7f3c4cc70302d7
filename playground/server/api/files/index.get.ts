import { list } from 'aws-amplify/storage/server'

// Storage from a server route: public files for everyone (guests through the identity pool's guest credentials), and
// the caller's private folder when signed in.
export default defineEventHandler(async (event) => {
  const user = await getAmplifyUser(event)
  const items = (path: string | ((input: { identityId?: string }) => string)) => runAmplifyApi(event, ctx => list(ctx, { path }))
    .then(({ items }) => items.map(item => ({ path: item.path, size: item.size, lastModified: item.lastModified })))
  return {
    public: await items('public/'),
    private: user ? await items(({ identityId }) => `private/${identityId}/`) : [],
  }
})
