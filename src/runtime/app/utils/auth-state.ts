import type { Ref } from 'vue'
import { currentSession } from './guard'
import { useState } from '#imports'

/**
 * Whether `useAmplifyUser()` reflects this visitor's session. The SSR plugin sets it after reading the request's
 * cookies; a page rendered for everyone (prerendered, or cached by route rules) is rendered without a session,
 * so it reaches the browser unknown and is settled there once hydrated.
 */
export function useAmplifyAuthKnown(): Ref<boolean> {
  return useState<boolean>('amplify:known', () => false)
}

/**
 * Browser only: reads the session (Amplify's cookies, or the server with `serverAuth`) and marks the state known.
 * Call it after hydration, never during.
 */
export async function settleAmplifyAuthState(): Promise<void> {
  const known = useAmplifyAuthKnown()
  if (known.value) return
  await currentSession()
  known.value = true
}
