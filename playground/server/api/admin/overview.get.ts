// Protected by the `/api/admin/**` route rule: 401 / 403 JSON before this runs for anyone outside `admin`.
export default defineEventHandler(async (event) => {
  const session = await getAmplifySession(event)
  return { checkedAt: new Date().toISOString(), admin: session?.claims.email, groups: session?.groups }
})
