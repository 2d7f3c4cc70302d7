import { defineEventHandler } from 'h3'
import { fetchUserAttributes } from 'aws-amplify/auth/server'
import { requireAmplifyUser, runAmplifyApi } from '../../utils/amplify'
import { noStore } from '../../lib/http/no-store'

/** The user's attributes (`fetchUserAttributes`), for `useAmplify().Auth.fetchUserAttributes()` in the browser; 401 when signed out. */
export default defineEventHandler(async (event) => {
  noStore(event)
  await requireAmplifyUser(event)
  return runAmplifyApi(event, contextSpec => fetchUserAttributes(contextSpec))
})
