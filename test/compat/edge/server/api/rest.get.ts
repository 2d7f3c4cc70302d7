import { fetchAuthSession } from 'aws-amplify/auth/server'
import { get } from 'aws-amplify/api/server'

// REST behind a Cognito authorizer (`?auth=userPool`) or IAM, signed with the identity pool's credentials.
export default defineEventHandler(async (event) => {
  const { auth } = getQuery(event)
  const response = await runAmplifyApi(event, async (ctx) => {
    if (auth !== 'userPool') return get(ctx, { apiName: 'echo', path: '/items' }).response
    const { tokens } = await fetchAuthSession(ctx)
    return get(ctx, { apiName: 'echo', path: '/items', options: { headers: { Authorization: tokens?.idToken?.toString() ?? '' } } }).response
  })
  return response.body.json()
})
