// What the peers' routes share: the Amplify config as the guide reads it (the outputs file, parsed once) and, for
// H's validator, the issuer the local emulator writes, from the same variable the module reads.
import { parseAmplifyConfig } from 'aws-amplify/utils'
import outputs from '../../amplify_outputs.json'
import { createGuideRunner } from './guide-recipe'
import { createAdapterValidator } from './adapter-validator'

export const amplifyConfig = parseAmplifyConfig(outputs)

const endpoint = process.env.NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT
const issuer = `${endpoint}/${outputs.auth.user_pool_id}`

/** Peer G: the guide's runner, no validator. */
export const runGuideApi = createGuideRunner(amplifyConfig)

/** Peer H: the guide's runner with the Next.js adapter's validator. */
export const runAdapterApi = createGuideRunner(amplifyConfig, createAdapterValidator({
  issuer,
  jwksUri: `${issuer}/.well-known/jwks.json`,
  clientId: outputs.auth.user_pool_client_id,
}))
