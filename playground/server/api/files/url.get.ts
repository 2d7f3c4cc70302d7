import { getUrl } from 'aws-amplify/storage/server'

// A presigned download URL, signed with the request's credentials.
export default defineEventHandler(async (event) => {
  const { path } = getQuery(event)
  if (typeof path !== 'string' || !path) throw createError({ statusCode: 400, message: 'Send ?path=' })
  const { url } = await runAmplifyApi(event, ctx => getUrl(ctx, { path }))
  return { url: url.toString() }
})
