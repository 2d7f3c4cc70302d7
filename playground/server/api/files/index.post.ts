import { uploadData } from 'aws-amplify/storage/server'

// Storage upload from a form (multipart: "file", and "folder" = private | public) with the request's credentials.
export default defineEventHandler(async (event) => {
  const parts = (await readMultipartFormData(event)) ?? []
  const file = parts.find(part => part.name === 'file')
  if (!file?.filename) throw createError({ statusCode: 400, message: 'Send a file' })
  const folder = parts.find(part => part.name === 'folder')?.data.toString() === 'public' ? 'public' : 'private'
  return runAmplifyApi(event, ctx => uploadData(ctx, {
    path: folder === 'public' ? `public/${file.filename}` : ({ identityId }) => `private/${identityId}/${file.filename}`,
    data: file.data,
    options: { contentType: file.type },
  }).result)
})
