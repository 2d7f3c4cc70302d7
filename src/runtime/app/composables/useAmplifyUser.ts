import type { Ref } from 'vue'
import type { AuthUser } from 'aws-amplify/auth'
import { useState } from '#imports'

/**
 * The signed-in Amplify user, or `null`. Filled during SSR from the request's verified cookies, hydrated as is,
 * then kept up to date in the browser from Amplify's Hub auth events.
 */
export function useAmplifyUser(): Ref<AuthUser | null> {
  return useState<AuthUser | null>('amplify:user', () => null)
}
