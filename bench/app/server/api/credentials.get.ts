import { fetchAuthSession } from 'aws-amplify/auth/server'

// Identity-pool credentials for the signed-in user on every call: the module must not fetch them every time.
export default defineEventHandler(async (event) => {
  const session = await runAmplifyApi(event, ctx => fetchAuthSession(ctx))
  return { identityId: session.identityId }
})
