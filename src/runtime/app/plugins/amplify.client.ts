import { Amplify } from 'aws-amplify'
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito'
import { CookieStorage, Hub } from 'aws-amplify/utils'
import { resolveResources } from '../../shared/config'
import { isSecureCookie } from '../../shared/cookies'
import { withoutAmplifyWarnings } from '../../shared/without-amplify-warnings'
import { useAmplifyUser } from '../composables/useAmplifyUser'
import { useAmplifySessionDetails } from '../composables/useAmplifySession'
import { currentSession } from '../utils/guard'
import { useAmplifyPublicConfig } from '../utils/config'
import { settleAmplifyAuthState } from '../utils/auth-state'
import { defineNuxtPlugin } from '#imports'

export default defineNuxtPlugin({
  name: 'amplify:configure',
  enforce: 'pre',
  setup(nuxtApp) {
    const config = useAmplifyPublicConfig()
    // The server says once per process that a custom endpoint is in use.
    withoutAmplifyWarnings(() => Amplify.configure(resolveResources(config), { ssr: true }))
    // The same cookie attributes as the server writes, so neither side leaves a second copy of a cookie behind.
    const { domain, path, sameSite, maxAge } = config.cookies
    const secure = isSecureCookie(config.cookies, location.protocol, location.hostname)
    cognitoUserPoolsTokenProvider.setKeyValueStorage(new CookieStorage({
      domain,
      path,
      sameSite,
      secure,
      ...(maxAge && { expires: maxAge / 86_400 }),
    }))

    const user = useAmplifyUser()
    const details = useAmplifySessionDetails()
    Hub.listen('auth', async ({ payload }) => {
      // The user, and the groups and claims of the new tokens.
      if (payload.event === 'signedIn' || payload.event === 'tokenRefresh') await nuxtApp.runWithContext(currentSession)
      if (payload.event === 'signedOut' || payload.event === 'tokenRefresh_failure') {
        user.value = null
        details.value = null
      }
    })
    // Prerendered and cached pages arrive without a session: settle it once hydrated, so the first render matches
    // the server's (a placeholder) and no signed-out UI flashes for a signed-in visitor.
    // Not awaited: a refresh on the way must not hold up Nuxt's other hydration hooks.
    nuxtApp.hooks.hookOnce('app:suspense:resolve', () => {
      void nuxtApp.runWithContext(settleAmplifyAuthState)
    })
  },
})
