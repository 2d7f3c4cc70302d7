import { getCurrentUser } from 'aws-amplify/auth/server'
import { runGuideApi } from '../../peers/settings'

// Peer G, the guide's `server/api/current-user.ts`; the answer is D's, so that only the auth work differs.
export default defineEventHandler(async (event) => {
  await runGuideApi(event, contextSpec => getCurrentUser(contextSpec))
  return { ok: true }
})
