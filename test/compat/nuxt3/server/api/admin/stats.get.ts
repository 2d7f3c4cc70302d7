// Protected by the `/api/admin/**` route rule alone: the handler runs for the admin group only.
export default defineEventHandler(async event => ({ groups: (await getAmplifySession(event))?.groups }))
