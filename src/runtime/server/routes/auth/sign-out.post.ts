import { defineEventHandler } from 'h3'
import { handleServerSignOut } from '../../lib/server-auth/sign-out'
import { noStore } from '../../lib/http/no-store'

/** Signs out: revokes the refresh token, deletes the auth cookies, then (Hosted UI) ends the Hosted UI's session. */
export default defineEventHandler((event) => {
  noStore(event)
  return handleServerSignOut(event)
})
