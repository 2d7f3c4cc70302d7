import { getCurrentUser } from 'aws-amplify/auth/server'
import { runAdapterApi } from '../../peers/settings'

// Peer H: G with every token verified before Amplify reads it.
export default defineEventHandler(async (event) => {
  await runAdapterApi(event, contextSpec => getCurrentUser(contextSpec))
  return { ok: true }
})
