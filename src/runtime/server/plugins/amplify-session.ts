import { defineNitroPlugin } from 'nitropack/runtime'
import { useAmplifyRequestContext } from '../lib/amplify/request-context'
import { useAmplifyServerSettings } from '../lib/amplify/server-settings'
import { useAmplifySessionReader } from '../lib/authorization/session-reader'
import { deleteStaleSessions } from '../lib/session/delete-stale-sessions'
import { useSessionStore } from '../lib/session/session-store'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    // On every request's context, so that the Vue app's SSR (a bundle of its own) reads the same session, hook and all.
    useAmplifySessionReader(event)
    const header = event.node.req.headers.cookie
    if (!header || event.context.cache) return
    let clientId: string
    try {
      clientId = useAmplifyServerSettings().clientId
    }
    catch {
      return // not configured: said at start, and by the routes that need Amplify
    }
    // With the session store, token cookies are no session at all: the session read deletes any a browser still sends.
    if (!useSessionStore()) deleteStaleSessions(useAmplifyRequestContext(event).cookies(), clientId, header)
  })
})
