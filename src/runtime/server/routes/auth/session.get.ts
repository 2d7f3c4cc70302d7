import { defineEventHandler } from 'h3'
import { getAmplifyUser } from '../../utils/amplify'
import { noStore } from '../../lib/http/no-store'

/**
 * The signed-in user, for the browser, which cannot read HttpOnly cookies: `{ user: AuthUser | null }`. An expired
 * access token is refreshed here, and the new cookies stay HttpOnly.
 */
export default defineEventHandler(async (event) => {
  noStore(event)
  return { user: await getAmplifyUser(event) }
})
