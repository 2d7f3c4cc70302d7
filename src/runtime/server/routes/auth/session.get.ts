import { defineEventHandler } from 'h3'
import { getAmplifySession } from '../../utils/amplify'
import { noStore } from '../../lib/http/no-store'

/**
 * The signed-in user and their session's groups, claims and data, for the browser, which cannot read HttpOnly cookies:
 * `{ user: AuthUser | null, session: { groups, claims, expiresAt, data } | null }`. An expired access token is
 * refreshed here, and the new cookies stay HttpOnly.
 */
export default defineEventHandler(async (event) => {
  noStore(event)
  const session = await getAmplifySession(event)
  if (!session) return { user: null, session: null }
  const { user, ...details } = session
  return { user, session: details }
})
