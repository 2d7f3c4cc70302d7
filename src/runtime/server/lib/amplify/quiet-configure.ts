import { withoutAmplifyWarnings } from '../../../shared/without-amplify-warnings'

let endpointWarned = false

/**
 * Amplify warns about a custom endpoint on every configure, which on a server means on every request.
 * Configuring is synchronous, so the warning can be silenced for exactly that call and said once here.
 */
export function runQuietly<T>(run: () => Promise<T>, endpoint: string | undefined): Promise<T> {
  if (!endpoint) return run()
  if (!endpointWarned) {
    endpointWarned = true
    console.warn(`[nuxt-amplify-ssr] Using a custom Amazon Cognito endpoint: ${endpoint}`)
  }
  return withoutAmplifyWarnings(run)
}
