import type { RouteLocationNormalized } from 'vue-router'
import { getCurrentUser } from 'aws-amplify/auth'
import type { AuthUser } from 'aws-amplify/auth'
import { isSamePath, safeRedirectPath } from '../../shared/redirect'
import { useAmplifyUser } from '../composables/useAmplifyUser'
import { useAmplifyPublicConfig } from './config'
import { fetchServerUser } from './server-auth-client'
import { navigateTo, useNuxtApp } from '#imports'

export type AmplifyAuthMode = boolean | 'guest'

/**
 * On the server the SSR plugin has read the session; in the browser Amplify's cookies are the truth — unless they are
 * HttpOnly (`serverAuth`): then the server is asked.
 */
export async function currentUser(): Promise<AuthUser | null> {
  const user = useAmplifyUser()
  if (import.meta.client) {
    const { serverAuth } = useAmplifyPublicConfig()
    user.value = serverAuth?.enabled ? await fetchServerUser(serverAuth.basePath) : await getCurrentUser().catch(() => null)
  }
  return user.value
}

/**
 * `true`: signed-in users only, others go to the login page with the path they asked for;
 * `'guest'`: signed-out users only (the login page), others go on to their saved target or home.
 */
export async function guardRoute(to: RouteLocationNormalized, mode: AmplifyAuthMode | undefined) {
  if (!mode) return
  const { auth } = useAmplifyPublicConfig()
  // The login page is never protected: protecting it would redirect to itself forever.
  if (mode === true && isSamePath(to.path, auth.loginPath)) return
  const nuxtApp = useNuxtApp()
  const user = await currentUser()
  // After an await the Nuxt instance is no longer implicit.
  if (mode === 'guest') {
    if (user) return nuxtApp.runWithContext(() => navigateTo(safeRedirectPath(to.query[auth.redirectQueryKey], auth.homePath)))
    return
  }
  if (!user) {
    return nuxtApp.runWithContext(() => navigateTo({ path: auth.loginPath, query: { [auth.redirectQueryKey]: to.fullPath } }))
  }
}
