import { uploadData } from 'aws-amplify/storage/server'

// Storage upload from a form (multipart, field "file") into the caller's private folder.
export default defineEventHandler(async (event) => {
  const [file] = (await readMultipartFormData(event)) ?? []
  if (!file?.filename) throw createError({ statusCode: 400, message: 'Send a file' })
  return runAmplifyApi(event, ctx =>
    uploadData(ctx, { path: ({ identityId }) => `private/${identityId}/${file.filename}`, data: file.data, options: { contentType: file.type } }).result)
})
