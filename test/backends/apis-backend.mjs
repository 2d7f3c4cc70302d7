// The offline stand-ins for an Amplify Gen2 backend's identity pool, REST API, GraphQL API and S3 bucket, started
// together on free loopback ports in front of a running Cognito emulator (`cognito.mjs`). Shared by the e2e tests
// and `npm run dev`.
import { fileURLToPath } from 'node:url'
import { startGraphQLApi } from './graphql.mjs'
import { startIdentityPool } from './identity-pool.mjs'
import { startRestApi } from './rest.mjs'
import { startS3 } from './s3.mjs'

export const BUCKET = 'nuxt-amplify-local'
export const REST_API_NAME = 'echo'
const S3_ROUTE = fileURLToPath(new URL('./s3-route.mjs', import.meta.url))

/**
 * @param {{ region: string, issuer: string, userPoolClientId: string }} cognito  a started emulator
 * @param {{ allowGuest?: boolean, graphql?: boolean }} [options]  `graphql: false` leaves out the notes GraphQL API
 *   (and the `data` outputs), for a caller that serves a Gen2 schema with the local AppSync instead
 */
export async function startApisBackend(cognito, { allowGuest = true, graphql: withGraphQL = true } = {}) {
  const userPool = { issuer: cognito.issuer, clientId: cognito.userPoolClientId }
  const identityPool = await startIdentityPool({ region: cognito.region, userPools: [userPool], allowGuest })
  const [rest, graphql, s3] = await Promise.all([
    startRestApi({ identityPool, userPool }),
    withGraphQL ? startGraphQLApi({ identityPool, userPool }) : undefined,
    startS3({ identityPool, buckets: [BUCKET] }),
  ])
  const region = cognito.region
  return {
    identityPool,
    rest,
    graphql,
    s3,
    /**
     * The parts of `amplify_outputs.json` (Gen2) beyond the user pool: identity pool, `data` (GraphQL),
     * `storage` and, as Amplify documents for REST APIs, `custom.API`.
     */
    outputs: {
      auth: { identity_pool_id: identityPool.identityPoolId, unauthenticated_identities_enabled: allowGuest },
      data: graphql && {
        url: graphql.endpoint,
        aws_region: region,
        api_key: graphql.apiKey,
        default_authorization_type: 'AMAZON_COGNITO_USER_POOLS',
        authorization_types: ['AWS_IAM', 'API_KEY'],
      },
      storage: { aws_region: region, bucket_name: BUCKET },
      custom: { API: { [REST_API_NAME]: { endpoint: rest.endpoint, region } } },
    },
    /**
     * Environment of the Nuxt server process: the identity pool's endpoint (no outputs field exists for it) and the
     * S3 router, preloaded so that Amplify's S3 requests reach the local bucket (see s3-route.mjs).
     */
    env: {
      NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT: identityPool.endpoint,
      AMPLIFY_LOCAL_S3_ENDPOINT: s3.endpoint,
      // For apps that route the browser's S3 requests too (s3-route-browser.ts), read as runtimeConfig.public.localS3Endpoint.
      NUXT_PUBLIC_LOCAL_S3_ENDPOINT: s3.endpoint,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${S3_ROUTE}`.trim(),
    },
    async stop() {
      await Promise.all([identityPool.stop(), rest.stop(), graphql?.stop(), s3.stop()])
    },
  }
}
