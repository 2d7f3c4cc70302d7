// Peer I: nuxt-auth-utils' sealed-cookie session.
export default defineEventHandler(async (event) => {
  await requireUserSession(event)
  return { ok: true }
})
