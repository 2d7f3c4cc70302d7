import { existsSync, readFileSync } from 'node:fs'
import { relative } from 'node:path'
import type { ResourcesConfig } from 'aws-amplify'
import { parseAmplifyConfig } from 'aws-amplify/utils'
import type { JSONWebKeySet } from 'jose'
import { AmplifyConfigError, regionOfPool } from './runtime/shared/config'
import { defaultIssuer } from './runtime/server/lib/tokens/token-verifier'

/** What `amplify.config` accepts: Gen2 outputs, Gen1 configuration, or a `ResourcesConfig`. */
export type AmplifyConfigInput = ResourcesConfig | Parameters<typeof parseAmplifyConfig>[0]

/** The build's one message when the outputs file is missing: what was looked for, and the ways to provide it. */
function missingFileMessage(file: string, rootDir: string): string {
  return [
    `amplify.config: ${file} not found in ${rootDir}. nuxt-amplify-ssr reads your Amplify outputs at build time. Either:`,
    '  - Amplify Gen 2: run `npx ampx sandbox` (development) or '
    + '`npx ampx generate outputs --app-id <id> --branch <branch>` in the app root;',
    '  - Amplify Gen 1: set `amplify: { config: \'./src/amplifyconfiguration.json\' }` in nuxt.config (written by `amplify pull`);',
    '  - or give the ids in nuxt.config: `amplify: { config: { Auth: { Cognito: { userPoolId, userPoolClientId } } } }`.',
  ].join('\n')
}

/** Outputs files, Gen1 files and `ResourcesConfig` objects all become a `ResourcesConfig`. */
export function loadResources(config: string | AmplifyConfigInput, rootDir: string, resolvePath: (p: string) => string): ResourcesConfig {
  let input = config
  if (typeof config === 'string') {
    const file = resolvePath(config)
    if (!existsSync(file)) throw new AmplifyConfigError(missingFileMessage(relative(rootDir, file), rootDir))
    try {
      input = JSON.parse(readFileSync(file, 'utf8'))
    }
    catch (error) {
      throw new AmplifyConfigError(`amplify.config: ${file} is not valid JSON (${(error as Error).message}).`)
    }
  }
  if (!input || typeof input !== 'object') throw new AmplifyConfigError('amplify.config must be an object or the path of a JSON file.')
  const isResourcesConfig = ['Auth', 'API', 'Storage'].some(key => key in input)
  return isResourcesConfig ? input as ResourcesConfig : parseAmplifyConfig(input as Parameters<typeof parseAmplifyConfig>[0])
}

/**
 * `amplify.tokens.jwks`: the user pool's public keys, so that checking a token's signature needs no network when a
 * server starts — what a serverless cold start would otherwise spend on a JWKS round trip before its first signed-in
 * answer. Either the JWKS itself (`{ keys: [...] }`, what `<issuer>/.well-known/jwks.json` serves) or `'build'`: fetched
 * once from `tokens.jwksUri` when the app is built. A token signed with a key the set lacks (Cognito rotated its keys)
 * is still checked against the fetched JWKS.
 * @default undefined (fetched on the first signed-in request of each server process)
 */
export type JwksOption = JSONWebKeySet | 'build'

function isKeySet(value: unknown): value is JSONWebKeySet {
  return !!value && typeof value === 'object' && Array.isArray((value as JSONWebKeySet).keys)
    && (value as JSONWebKeySet).keys.every(key => !!key && typeof key === 'object' && typeof key.kty === 'string')
}

/** The build's JWKS for the runtime config: `{ keys: [] }` when none is given, checked, or fetched for `'build'`. */
export async function resolveJwks(option: JwksOption | undefined, jwksUri: () => string): Promise<JSONWebKeySet> {
  if (option === undefined) return { keys: [] }
  if (option !== 'build') {
    if (!isKeySet(option)) throw new AmplifyConfigError('amplify.tokens.jwks must be a JWKS (`{ keys: [{ kty, kid, n, e, … }] }`) or \'build\'.')
    return { keys: option.keys }
  }
  const uri = jwksUri()
  let keys: unknown
  try {
    const response = await fetch(uri, { signal: AbortSignal.timeout(10_000) })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    keys = await response.json()
  }
  catch (error) {
    throw new AmplifyConfigError(`amplify.tokens.jwks: 'build' could not fetch the signing keys from ${uri} (${(error as Error).message}).`)
  }
  if (!isKeySet(keys)) throw new AmplifyConfigError(`amplify.tokens.jwks: ${uri} did not answer with a JWKS.`)
  return { keys: keys.keys }
}

/** Where the build fetches the keys for `tokens.jwks: 'build'`: the same URL the server would use. */
export function buildTimeJwksUri(tokens: { issuer?: string, jwksUri?: string }, resources: ResourcesConfig, region: string | undefined): string {
  if (tokens.jwksUri) return tokens.jwksUri
  const cognito = resources.Auth?.Cognito
  const issuer = tokens.issuer || defaultIssuer(cognito?.userPoolId ?? '', region || regionOfPool(cognito?.userPoolId), cognito?.userPoolEndpoint)
  return `${issuer}/.well-known/jwks.json`
}
