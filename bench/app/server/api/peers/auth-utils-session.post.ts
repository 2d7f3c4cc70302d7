// Starts peer I's session: the same user as the Cognito session's, sealed into nuxt-auth-utils' cookie.
export default defineEventHandler(async (event) => {
  const user = await readBody(event)
  await setUserSession(event, { user })
  return { ok: true }
})
