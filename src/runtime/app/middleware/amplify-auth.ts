import { guardRoute } from '../utils/guard'
import { defineNuxtRouteMiddleware } from '#imports'

/** Named middleware: `definePageMeta({ middleware: 'amplify-auth' })` protects a page (or `amplifyAuth: 'guest'`). */
export default defineNuxtRouteMiddleware(to => guardRoute(to, to.meta.amplifyAuth ?? true))
