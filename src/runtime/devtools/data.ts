// Dev only (registered by the module when DevTools are on): the session report of the request's own cookies.
import { defineEventHandler, getRequestHeader } from 'h3'
import { useRuntimeConfig } from 'nitropack/runtime'
import type { ResourcesConfig } from 'aws-amplify'
import { useAmplifyServerSettings } from '../server/lib/amplify/server-settings'
import { noStore } from '../server/lib/http/no-store'
import { resolveRegion } from '../shared/config'
import { buildSessionReport } from './report'

/** Pools and endpoints, without keys (a GraphQL API key stays out). */
function describeConfig(resources: ResourcesConfig, region: string | undefined) {
  const { userPoolId, userPoolClientId, identityPoolId, userPoolEndpoint, identityPoolEndpoint } = resources.Auth!.Cognito
  return {
    region,
    userPoolId,
    userPoolClientId,
    identityPoolId,
    userPoolEndpoint,
    identityPoolEndpoint,
    restApis: Object.fromEntries(Object.entries(resources.API?.REST ?? {}).map(([name, api]) => [name, api.endpoint])),
    graphqlEndpoint: resources.API?.GraphQL?.endpoint,
    storageBucket: resources.Storage?.S3?.bucket,
  }
}

export default defineEventHandler(async (event) => {
  noStore(event)
  try {
    const { resources, cookies, auth, verifier } = useAmplifyServerSettings()
    const runtimeConfig = useRuntimeConfig()
    const publicConfig = runtimeConfig.public.amplify
    const report = await buildSessionReport({
      cookieHeader: getRequestHeader(event, 'cookie') ?? '',
      // resolveResources guarantees the client id.
      userPoolClientId: resources.Auth!.Cognito.userPoolClientId!,
      verify: (token, use) => verifier.verify(token, use),
      config: {
        ...describeConfig(resources, resolveRegion(publicConfig, resources)),
        issuer: verifier.issuer,
        jwksUri: verifier.jwksUri,
        cookies,
        auth,
      },
    })
    // What pages and server routes see for this request (verified; may refresh, as any page would).
    const user = await event.context.amplify?.user().catch((error: Error) => ({ error: error.message }))
    return { ...report, user: user ?? null }
  }
  catch (error) {
    return { error: (error as Error).message }
  }
})
