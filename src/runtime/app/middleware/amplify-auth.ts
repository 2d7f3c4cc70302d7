import { matchAmplifyRouteRule } from '../../shared/route-rules'
import { guardRoute } from '../utils/guard'
import { useAmplifyPublicConfig } from '../utils/config'
import { defineNuxtRouteMiddleware } from '#imports'

/** Named middleware: `definePageMeta({ middleware: 'amplify-auth' })` protects a page (or `amplifyAuth: 'guest'`…). */
export default defineNuxtRouteMiddleware(to =>
  guardRoute(to, to.meta.amplifyAuth ?? matchAmplifyRouteRule(useAmplifyPublicConfig().auth.routeRules ?? {}, to.path) ?? true))
