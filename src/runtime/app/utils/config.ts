import type { AmplifyPublicRuntimeConfig } from '../../shared/config'
import { useRuntimeConfig } from '#imports'

export function useAmplifyPublicConfig(): AmplifyPublicRuntimeConfig {
  return useRuntimeConfig().public.amplify
}
