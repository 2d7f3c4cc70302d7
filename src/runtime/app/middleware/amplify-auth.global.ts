import { guardRoute } from '../utils/guard'
import { useAmplifyPublicConfig } from '../utils/config'
import { defineNuxtRouteMiddleware } from '#imports'

/** Honours `definePageMeta({ amplifyAuth })` on every page, and protects all pages when `auth.global` is on. */
export default defineNuxtRouteMiddleware((to) => {
  const named = [to.meta.middleware].flat().includes('amplify-auth')
  if (named) return
  return guardRoute(to, to.meta.amplifyAuth ?? useAmplifyPublicConfig().auth.global)
})
