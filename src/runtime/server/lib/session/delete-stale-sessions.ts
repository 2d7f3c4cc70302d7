import { sessionCookieKey } from '../../../shared/cookies'
import { sessionCookieNames } from './session-cookie-names'
import type { CookieJar } from './cookie-jar'

/**
 * Whether the Cookie header holds a cookie of the app client that is neither `LastAuthUser` nor under `ownStem`: a
 * few `indexOf`s over the header, so that the jar is parsed only on the requests that carry such cookies.
 */
function hasForeignCookie(header: string, encodedPrefix: string, encodedOwnStem: string): boolean {
  for (let at = header.indexOf(encodedPrefix); at !== -1; at = header.indexOf(encodedPrefix, at + 1)) {
    const rest = header.startsWith('LastAuthUser=', at + encodedPrefix.length)
    if (!rest && !header.startsWith(encodedOwnStem, at)) return true
  }
  return false
}

/**
 * Deletes the session cookies (tokens, clock drift, sign-in details) of users other than `LastAuthUser`. Amplify's
 * browser client leaves every user that ever signed in on a browser in its cookies, 4-5 KB each (amplify-js #1545),
 * until the requests grow past the server's header limit (431). Device keys are left alone: they remember a device.
 * Returns how many cookies were deleted.
 */
export function deleteStaleSessions(jar: CookieJar, clientId: string, header: string): number {
  const names = sessionCookieNames(clientId)
  if (!header.includes(names.encodedPrefix)) return 0
  const username = jar.read(names.lastAuthUser.name, names.lastAuthUser.encoded)
  // Without LastAuthUser no session is current: the session read signs out and clears them all.
  if (!username) return 0
  const own = names.ofUser(username)
  if (!hasForeignCookie(header, names.encodedPrefix, own.encodedStem)) return 0
  const stale = jar.getAll().map(cookie => cookie.name)
    .filter(name => name.startsWith(names.prefix) && name !== names.lastAuthUser.name && !name.startsWith(own.stem) && sessionCookieKey(name))
  for (const name of stale) jar.delete(name)
  return stale.length
}
