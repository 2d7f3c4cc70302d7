import type { RouteLocationNormalized } from 'vue-router'
import { fetchAuthSession, getCurrentUser } from 'aws-amplify/auth'
import type { AuthUser } from 'aws-amplify/auth'
import { decideAccess } from '../../shared/access-rule'
import { isSamePath, safeRedirectPath } from '../../shared/redirect'
import { useAmplifyUser } from '../composables/useAmplifyUser'
import { useAmplifySessionDetails } from '../composables/useAmplifySession'
import type { AmplifySessionDetails } from '../composables/useAmplifySession'
import { useAmplifyPublicConfig } from './config'
import { fetchServerSession } from './server-auth-client'
import { sessionDetailsOf } from './session-details'
import { serverAuthEnabled } from '#amplify-client-apis'
import { abortNavigation, createError, navigateTo, useNuxtApp } from '#imports'

/** Amplify's browser session: its user, and the details of its tokens. */
async function browserSession(previous: AmplifySessionDetails | null) {
  const user = await getCurrentUser().catch(() => null)
  const details = user ? sessionDetailsOf((await fetchAuthSession().catch(() => undefined))?.tokens, previous) : null
  return { user, details }
}

/**
 * On the server the SSR plugin has read the session; in the browser Amplify's cookies are the truth — unless they are
 * HttpOnly (`serverAuth`): then the server is asked. Updates `useAmplifyUser()` and `useAmplifySession()`.
 */
export async function currentSession(): Promise<{ user: AuthUser | null, details: AmplifySessionDetails | null }> {
  const user = useAmplifyUser()
  const details = useAmplifySessionDetails()
  if (import.meta.client) {
    // A build-time constant: the bundle keeps one of the two ways to read the session.
    const read = serverAuthEnabled ? await fetchServerSession(useAmplifyPublicConfig().serverAuth!.basePath) : await browserSession(details.value)
    user.value = read.user
    details.value = read.details
  }
  return { user: user.value, details: details.value }
}

/**
 * `true`: signed-in users only, others go to the login page with the path they asked for; `{ groups }`: the same, and
 * signed-in users in none of the groups get a 403 error page (or `auth.forbiddenPath`); `'guest'`: signed-out users
 * only (the login page), others go on to their saved target or home.
 */
export async function guardRoute(to: RouteLocationNormalized, rule: unknown) {
  if (rule === undefined || rule === false) return
  const { auth } = useAmplifyPublicConfig()
  // The login and forbidden pages are never protected: protecting them would redirect to themselves forever.
  const exempt = [auth.loginPath, auth.forbiddenPath].some(path => path && isSamePath(to.path, path))
  if (rule !== 'guest' && exempt) return
  const nuxtApp = useNuxtApp()
  const { user, details } = await currentSession()
  // Without details a signed-in user is in no group: a check of groups fails closed.
  const verdict = decideAccess(rule, user && { groups: details?.groups ?? [] })
  // After an await the Nuxt instance is no longer implicit.
  return nuxtApp.runWithContext(() => {
    if (verdict === 'signed-in') return navigateTo(safeRedirectPath(to.query[auth.redirectQueryKey], auth.homePath))
    if (verdict === 'unauthenticated') return navigateTo({ path: auth.loginPath, query: { [auth.redirectQueryKey]: to.fullPath } })
    if (verdict === 'forbidden') {
      if (auth.forbiddenPath) return navigateTo(auth.forbiddenPath)
      return abortNavigation(createError({ statusCode: 403, statusMessage: 'Forbidden', fatal: true }))
    }
  })
}
