import { getProperties, list, remove, uploadData } from 'aws-amplify/storage/server'

// Amplify Storage's writes on the server: the body uploaded to a fresh `public/` key, read back, listed, removed.
export default defineEventHandler(async (event) => {
  const data = await readRawBody(event) ?? ''
  const path = `public/edge-${crypto.randomUUID()}.txt`
  await runAmplifyApi(event, ctx => uploadData(ctx, { path, data, options: { contentType: 'text/plain' } }).result)
  const { size } = await runAmplifyApi(event, ctx => getProperties(ctx, { path }))
  const listed = (await runAmplifyApi(event, ctx => list(ctx, { path: 'public/' }))).items.some(item => item.path === path)
  await runAmplifyApi(event, ctx => remove(ctx, { path }))
  const listedAfterRemove = (await runAmplifyApi(event, ctx => list(ctx, { path: 'public/' }))).items.some(item => item.path === path)
  return { path, size, listed, listedAfterRemove }
})
