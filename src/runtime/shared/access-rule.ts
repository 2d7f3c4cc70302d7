/**
 * What `amplifyAuth` accepts, in page meta and in route rules: `true` signed-in users only, `'guest'` signed-out users
 * only, `false` anyone, `{ groups }` signed-in members of at least one of the Cognito groups.
 */
export type AmplifyAuthRule = boolean | 'guest' | { groups: string[] }

/** What a rule says of a visitor: go on, sign in first, not for you (403), or (a guest-only page) not for signed-in users. */
export type AccessVerdict = 'allowed' | 'unauthenticated' | 'forbidden' | 'signed-in'

export function isAmplifyAuthRule(value: unknown): value is AmplifyAuthRule {
  if (typeof value === 'boolean' || value === 'guest') return true
  if (!value || typeof value !== 'object') return false
  const { groups } = value as { groups?: unknown }
  return Object.keys(value).length === 1 && Array.isArray(groups) && groups.every(group => typeof group === 'string')
}

/**
 * The verdict of `rule` on a visitor, `null` when signed out. A value that is not a rule (a typo in a route rule
 * that slipped past the build, `{ groups: [] }`) lets nobody in: a protection that is misspelt must not open the page.
 */
export function decideAccess(rule: unknown, session: { groups: readonly string[] } | null): AccessVerdict {
  if (rule === undefined || rule === false) return 'allowed'
  if (rule === 'guest') return session ? 'signed-in' : 'allowed'
  if (!session) return 'unauthenticated'
  if (rule === true) return 'allowed'
  if (!isAmplifyAuthRule(rule) || typeof rule !== 'object') return 'forbidden'
  return rule.groups.some(group => session.groups.includes(group)) ? 'allowed' : 'forbidden'
}
