import { fetchUserAttributes } from 'aws-amplify/auth/server'

export default defineEventHandler(async (event) => {
  const user = await requireAmplifyUser(event)
  const attributes = await runAmplifyApi(event, contextSpec => fetchUserAttributes(contextSpec))
  return { username: user.username, attributes }
})
