import { matchAmplifyRouteRule } from '../../shared/route-rules'
import { guardRoute } from '../utils/guard'
import { useAmplifyPublicConfig } from '../utils/config'
import { defineNuxtRouteMiddleware } from '#imports'

/**
 * Honours `definePageMeta({ amplifyAuth })` on every page, else the `amplifyAuth` route rule of its path, else
 * protects all pages when `auth.global` is on.
 */
export default defineNuxtRouteMiddleware((to) => {
  const named = [to.meta.middleware].flat().includes('amplify-auth')
  if (named) return
  const { auth } = useAmplifyPublicConfig()
  return guardRoute(to, to.meta.amplifyAuth ?? matchAmplifyRouteRule(auth.routeRules ?? {}, to.path) ?? (auth.global || undefined))
})
