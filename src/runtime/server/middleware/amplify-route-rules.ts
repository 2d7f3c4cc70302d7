import { defineEventHandler } from 'h3'
import { useRuntimeConfig } from 'nitropack/runtime'
// The app's server routes (not its pages, nor this module's own routes), listed by the module at build time.
import serverRoutes from '#amplify-server-routes'
import { decideAccess } from '../../shared/access-rule'
import type { AmplifyAuthRule } from '../../shared/access-rule'
import { createRouteMatcher, matchAmplifyRouteRule } from '../../shared/route-rules'
import { amplifyHttpError } from '../lib/errors/amplify-errors'
import { useAmplifySessionReader } from '../lib/authorization/session-reader'
import { createAmplifyError } from '../utils/amplify-errors'

const isServerRoute = createRouteMatcher(Object.fromEntries(serverRoutes.map((route: string) => [route, true])))
let settings: { rules: Record<string, AmplifyAuthRule>, baseURL: string } | undefined

/**
 * `routeRules: { '/api/admin/**': { amplifyAuth: { groups: ['admin'] } } }` on server routes: 401 / 403 JSON before
 * the handler runs. Pages are left to the app's route middleware, which redirects to the login page or renders the
 * 403 page, on the server and in the browser alike.
 */
export default defineEventHandler(async (event) => {
  const config = (settings ??= {
    rules: useRuntimeConfig().public.amplify.auth.routeRules ?? {},
    baseURL: useRuntimeConfig().app.baseURL,
  })
  const path = event.path.startsWith(config.baseURL) ? `/${event.path.slice(config.baseURL.length)}` : event.path
  const rule = matchAmplifyRouteRule(config.rules, path)
  if (rule === undefined || !isServerRoute(path)) return
  const reader = useAmplifySessionReader(event)
  const session = reader.now() ?? await reader.get().catch((error) => {
    throw createAmplifyError(error)
  })
  const verdict = decideAccess(rule, session)
  if (verdict === 'unauthenticated') throw amplifyHttpError('UserUnAuthenticatedException')
  if (verdict === 'forbidden') throw amplifyHttpError('GroupRequired')
})
