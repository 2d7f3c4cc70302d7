import { defineEventHandler } from 'h3'
import { handleServerSignIn } from '../../lib/server-sign-in'
import { noStore } from '../../lib/server-sign-in-guard'
import { useServerSignInSetup } from '../../lib/server-sign-in-setup'

/** Password sign-in on the server (USER_PASSWORD_AUTH) and the answers to Cognito's challenges. */
export default defineEventHandler((event) => {
  noStore(event)
  return handleServerSignIn(event, useServerSignInSetup())
})
