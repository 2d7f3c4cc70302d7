import { defineNitroPlugin } from 'nitropack/runtime'
import { clientApiOnServerMessage } from '../lib/errors/api-errors'

function noContextError(error: unknown): Error | undefined {
  for (let e = error as { name?: string, cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (e.name === 'NoAmplifyContextError') return e as Error
  }
}

/**
 * A browser API of Amplify called in a server route outside `runAmplifyApi` fails with Amplify's advice to call
 * `Amplify.configure()`, which on a server would share one user's session with everyone. Say what to use instead.
 */
export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('error', (error) => {
    // runAmplifyApi and getAmplifyGraphQLClient already said it.
    if ((error as { data?: { code?: string } }).data?.code === 'NoAmplifyContextError') return
    const cause = noContextError(error)
    if (cause) console.error(clientApiOnServerMessage(cause))
  })
})
