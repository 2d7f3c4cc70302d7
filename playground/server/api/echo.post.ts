import { post } from 'aws-amplify/api/server'

// REST POST from a server route, signed with the request's identity-pool credentials: the signed-in user's identity
// with serverAuth, where the browser holds no credentials of its own.
export default defineEventHandler(async (event) => {
  const body = await readBody(event)
  const response = await runAmplifyApi(event, ctx => post(ctx, { apiName: 'echo', path: '/public/messages', options: { body } }).response)
  return response.body.json()
})
