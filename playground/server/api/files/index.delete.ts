import { remove } from 'aws-amplify/storage/server'

// The bucket's rules decide with the request's credentials: a user deletes public files and their own private ones.
export default defineEventHandler(async (event) => {
  const { path } = getQuery(event)
  if (typeof path !== 'string' || !path) throw createError({ statusCode: 400, message: 'Send ?path=' })
  return runAmplifyApi(event, ctx => remove(ctx, { path }))
})
