// Amplify's server data client against the local AppSync, set up as a server does it: a Gen2 config whose `data`
// section is the service's outputs, and one server context per request whose cookie storage holds one user's tokens.
import type { ResourcesConfig } from 'aws-amplify'
import {
  createAWSCredentialsAndIdentityIdProvider,
  createKeyValueStorageFromCookieStorageAdapter,
  createUserPoolsTokenProvider,
  runWithAmplifyServerContext,
} from 'aws-amplify/adapter-core'
import type { AmplifyServer } from 'aws-amplify/adapter-core'
import { ConsoleLogger, parseAmplifyConfig } from 'aws-amplify/utils'
import { decodeJwt } from 'jose'
import { REGION } from '../backends/cognito.mjs'

// Every server context would warn that the emulator's endpoints are custom ones.
ConsoleLogger.LOG_LEVEL = 'ERROR'

export interface Tokens { AccessToken: string, IdToken: string, RefreshToken: string }

/** The parsed Gen2 outputs, with the emulator's (and the local identity pool's) endpoints. */
export function dataConfig({ cognito, data, identityPool }: {
  cognito: { endpoint: string, userPoolId: string, userPoolClientId: string }
  data: object
  identityPool?: { endpoint: string, identityPoolId: string }
}): ResourcesConfig {
  const parsed = parseAmplifyConfig({
    version: '1.3',
    auth: {
      aws_region: REGION,
      user_pool_id: cognito.userPoolId,
      user_pool_client_id: cognito.userPoolClientId,
      ...(identityPool && { identity_pool_id: identityPool.identityPoolId, unauthenticated_identities_enabled: true }),
    },
    data,
  } as Parameters<typeof parseAmplifyConfig>[0])
  const endpoints = { userPoolEndpoint: cognito.endpoint, ...(identityPool && { identityPoolEndpoint: identityPool.endpoint }) }
  return { ...parsed, Auth: { Cognito: { ...parsed.Auth!.Cognito, ...endpoints } } as ResourcesConfig['Auth'] }
}

/**
 * Runs `operation` in a server context whose cookie storage (`jar`, by cookie name) holds `tokens` (none: a
 * signed-out visitor), as the browser's cookies would.
 */
export function runAs<T>(
  config: ResourcesConfig,
  tokens: Tokens | null,
  operation: (contextSpec: AmplifyServer.ContextSpec) => Promise<T>,
  jar = new Map<string, string>(),
): Promise<T> {
  if (tokens) {
    const username = String(decodeJwt(tokens.AccessToken).username)
    const prefix = `CognitoIdentityServiceProvider.${config.Auth!.Cognito.userPoolClientId}`
    jar.set(`${prefix}.LastAuthUser`, username)
    jar.set(`${prefix}.${username}.accessToken`, tokens.AccessToken)
    jar.set(`${prefix}.${username}.idToken`, tokens.IdToken)
    jar.set(`${prefix}.${username}.refreshToken`, tokens.RefreshToken)
    jar.set(`${prefix}.${username}.clockDrift`, '0')
  }
  const storage = createKeyValueStorageFromCookieStorageAdapter({
    get: name => (jar.has(name) ? { name, value: jar.get(name)! } : undefined),
    getAll: () => [...jar].map(([name, value]) => ({ name, value })),
    set: (name, value) => void jar.set(name, value),
    delete: name => void jar.delete(name),
  })
  const tokenProvider = createUserPoolsTokenProvider(config.Auth!, storage)
  const credentialsProvider = config.Auth!.Cognito.identityPoolId ? createAWSCredentialsAndIdentityIdProvider(config.Auth!, storage) : undefined
  return runWithAmplifyServerContext(config, { Auth: { tokenProvider, credentialsProvider } }, operation)
}

/** The `owner` value Gen2 writes for a user: `<sub>::<username>`. */
export function ownerOf(tokens: Tokens): string {
  const claims = decodeJwt(tokens.AccessToken)
  return `${claims.sub}::${claims.username}`
}
