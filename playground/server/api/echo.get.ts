import { get } from 'aws-amplify/api/server'

// REST from a server route: signed with the request's identity-pool credentials (a guest's when signed out).
export default defineEventHandler(async (event) => {
  const response = await runAmplifyApi(event, ctx => get(ctx, { apiName: 'echo', path: '/public/whoami' }).response)
  return response.body.json()
})
