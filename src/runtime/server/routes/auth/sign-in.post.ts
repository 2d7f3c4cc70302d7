import { defineEventHandler } from 'h3'
import { handleServerSignIn } from '../../lib/server-auth/sign-in'
import { noStore } from '../../lib/http/no-store'
import { useServerAuthSettings } from '../../lib/server-auth/settings'

/** Password sign-in on the server (USER_PASSWORD_AUTH) and the answers to Cognito's challenges. */
export default defineEventHandler((event) => {
  noStore(event)
  return handleServerSignIn(event, useServerAuthSettings(event))
})
