import { defineEventHandler } from 'h3'
import { handleServerSignOut } from '../../lib/server-sign-out'
import { noStore } from '../../lib/server-sign-in-guard'

/** Signs out: revokes the refresh token, deletes the auth cookies, then (Hosted UI) ends the Hosted UI's session. */
export default defineEventHandler((event) => {
  noStore(event)
  return handleServerSignOut(event)
})
