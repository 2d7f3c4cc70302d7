import { computed } from 'vue'
import type { ComputedRef, Ref } from 'vue'
import type { AmplifySession } from '../../types'
import { useAmplifyUser } from './useAmplifyUser'
import { useState } from '#imports'

/** What the session adds to the user; `useAmplifyUser()` stays the one home of the user itself. */
export type AmplifySessionDetails = Omit<AmplifySession, 'user'>

/** The state behind `useAmplifySession()`, written by the module's plugins and route middleware. */
export function useAmplifySessionDetails(): Ref<AmplifySessionDetails | null> {
  return useState<AmplifySessionDetails | null>('amplify:session', () => null)
}

/**
 * The signed-in user's session — `{ user, groups, claims, expiresAt, data }` — or `null`. Filled during SSR from the
 * verified tokens (and the app's `amplify:session` hooks), hydrated as is, then kept up to date in the browser from
 * Amplify's Hub auth events and the route middleware. For display (an admin link); the server decides access.
 *
 * @example
 * const session = useAmplifySession()
 * const isAdmin = computed(() => session.value?.groups.includes('admin'))
 */
export function useAmplifySession(): ComputedRef<AmplifySession | null> {
  const user = useAmplifyUser()
  const details = useAmplifySessionDetails()
  return computed(() => (user.value && details.value ? { user: user.value, ...details.value } : null))
}
