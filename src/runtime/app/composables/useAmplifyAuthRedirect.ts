import { safeRedirectPath } from '../../shared/redirect'
import { useAmplifyPublicConfig } from '../utils/config'
import { useRoute } from '#imports'

/**
 * Where to go after signing in: the same-site path saved in the login page's query
 * (`/login?redirect=/profile`), else `auth.homePath`. Off-site targets are ignored.
 */
export function useAmplifyAuthRedirect(): string {
  const { auth } = useAmplifyPublicConfig()
  return safeRedirectPath(useRoute().query[auth.redirectQueryKey], auth.homePath)
}
