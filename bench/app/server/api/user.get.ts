export default defineEventHandler(async (event) => {
  await requireAmplifyUser(event)
  return { ok: true }
})
