// A local AWS AppSync GraphQL API that serves a Gen2 app's own data schema (`amplify/data/resource.ts`) over HTTP on
// a loopback port: the operations Amplify's `generateClient()` builds from the model introspection, executed by
// graphql-js against the AppSync schema Amplify's transformer generates, over in-memory tables, with AppSync's auth
// modes checked from real credentials (`userPool` tokens against the emulator's keys, `iam` SigV4 signatures from the
// local identity pool, `apiKey`, `lambda` tokens judged by the app's authorizer) and the schema's auth rules (owner,
// public, private, groups, custom) enforced per record.
// A request that no enabled mode accepts is answered HTTP 401 `UnauthorizedException`; a field or record the caller
// may not use gives AppSync's `Unauthorized` error (HTTP 200 with `errors`). Subscriptions (WebSocket) are not served.
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { GraphQLError, execute, getOperationAST, parse, validate } from 'graphql'
import { createJiti } from 'jiti'
import { listen, sendJson } from '../http-server.mjs'
import { Refused, callerIdentifier } from './auth.mjs'
import { customOperationResolvers } from './custom-operations.mjs'
import { executableSchema } from './executable-schema.mjs'
import { modelResolvers } from './models.mjs'
import { loadDataSchema } from './schema.mjs'
import { APPSYNC_AUTH_TYPES } from './transform.mjs'

/** The playground's schema: what `npm run dev` serves. */
export const PLAYGROUND_SCHEMA = fileURLToPath(new URL('../../../playground/amplify/data/resource.ts', import.meta.url))

/** `@default(value: "…")` of the Gen2 SDL, typed by the field, by model and field name. */
function defaultValues(sdl) {
  const defaults = {}
  const convert = { Boolean: v => v === 'true', Int: Number, Float: Number, AWSTimestamp: Number, AWSJSON: JSON.parse }
  for (const definition of parse(sdl).definitions) {
    for (const field of definition.fields ?? []) {
      const directive = field.directives?.find(d => d.name.value === 'default')
      if (!directive) continue
      let type = field.type
      while (type.type) type = type.type
      const value = directive.arguments.find(a => a.name.value === 'value').value.value
      ;(defaults[definition.name.value] ??= {})[field.name.value] = (convert[type.name.value] ?? String)(value)
    }
  }
  return defaults
}

/** AppSync's error entries: `errorType` from the resolver's error, `data` and `errorInfo` as AppSync sends them. */
function formatError(error) {
  return {
    path: error.path ?? null,
    data: null,
    errorType: error.originalError?.errorType ?? null,
    errorInfo: null,
    locations: error.locations ?? null,
    message: error.message,
  }
}

async function run(schema, { query, variables, operationName }, context) {
  let document
  try {
    document = parse(String(query ?? ''))
  }
  catch (error) {
    return { data: null, errors: [formatError(error)] }
  }
  const invalid = validate(schema, document)
  if (invalid.length) return { data: null, errors: invalid.map(formatError) }
  if (getOperationAST(document, operationName)?.operation === 'subscription') {
    const error = new GraphQLError('Subscriptions are served over AppSync\'s realtime WebSocket endpoint, which the local AppSync does not run')
    return { data: null, errors: [{ ...formatError(error), errorType: 'UnsupportedOperation' }] }
  }
  const result = await execute({ schema, document, variableValues: variables, operationName, contextValue: context })
  return { data: result.data ?? null, ...(result.errors && { errors: result.errors.map(formatError) }) }
}

/** A Lambda authorizer given as a function, or as a file whose `handler` export is one (as Gen2's `defineFunction` entry). */
async function authorizer(lambdaAuthorizer) {
  if (typeof lambdaAuthorizer !== 'string') return lambdaAuthorizer
  const { handler } = await createJiti(import.meta.url).import(lambdaAuthorizer)
  if (typeof handler !== 'function') throw new Error(`${lambdaAuthorizer} exports no \`handler\` function`)
  return handler
}

/**
 * @param {{ schemaFile?: string, userPool?: { issuer: string, clientId: string },
 *   identityPool?: { identityPoolId: string, lookup: Function }, apiKey?: string | false,
 *   lambdaAuthorizer?: string | ((event: object) => Promise<{ isAuthorized: boolean, resolverContext?: object }>),
 *   region?: string, defaultAuthorizationMode?: 'userPool' | 'apiKey' | 'iam' | 'lambda' }} [options]
 *   the enabled auth modes are those given: `userPool` (the emulator's issuer and client id), `identityPool`
 *   (test/backends/identity-pool.mjs), an API key (one is made unless `apiKey: false`) and a Lambda authorizer
 * @returns `{ endpoint, apiKey, outputs, tables, stop }`: `outputs` is the `data` section of amplify_outputs.json
 *   (with `model_introspection`), `tables` the in-memory items by model name
 */
export async function startAppSync({
  schemaFile = PLAYGROUND_SCHEMA,
  userPool,
  identityPool,
  apiKey,
  lambdaAuthorizer,
  region = 'us-east-1',
  defaultAuthorizationMode = 'userPool',
} = {}) {
  const key = apiKey === false ? undefined : apiKey ?? `da2-${randomBytes(13).toString('hex')}`
  const enabled = [userPool && 'userPool', identityPool && 'iam', key && 'apiKey', lambdaAuthorizer && 'lambda'].filter(Boolean)
  if (!enabled.includes(defaultAuthorizationMode)) throw new Error(`The default authorization mode ${defaultAuthorizationMode} is not enabled`)
  const loaded = await loadDataSchema(schemaFile, { defaultAuthorizationMode })
  const models = modelResolvers(loaded.modelIntrospection, { defaults: defaultValues(loaded.sdl) })
  const custom = customOperationResolvers(loaded.modelIntrospection, loaded.handlers)
  const resolvers = {
    ...models.resolvers,
    Query: { ...models.resolvers.Query, ...custom.Query },
    Mutation: { ...models.resolvers.Mutation, ...custom.Mutation },
  }
  const schema = executableSchema(loaded.appSyncSdl, { resolvers, defaultAuthMode: defaultAuthorizationMode })
  const identify = callerIdentifier({ userPool, identityPool, apiKey: key, lambdaAuthorizer: await authorizer(lambdaAuthorizer) })

  const server = await listen(async (req, res, body) => {
    if (req.method !== 'POST' || new URL(req.url, 'http://local').pathname !== '/graphql') return sendJson(res, 404, { message: 'Not Found' })
    let request
    try {
      request = JSON.parse(body.toString())
    }
    catch { /* below */ }
    if (!request || typeof request !== 'object') {
      return sendJson(res, 400, { errors: [{ errorType: 'MalformedHttpRequestException', message: 'The request body is not a JSON object.' }] })
    }
    let caller
    try {
      caller = await identify(req, body, request)
    }
    catch (error) {
      if (!(error instanceof Refused)) throw error
      const refusal = { errors: [{ errorType: 'UnauthorizedException', message: error.message }] }
      return sendJson(res, 401, refusal, { 'x-amzn-errortype': 'UnauthorizedException' })
    }
    sendJson(res, 200, await run(schema, request, { caller, request: req }))
  })

  const endpoint = `${server.url}/graphql`
  return {
    endpoint,
    apiKey: key,
    outputs: {
      url: endpoint,
      aws_region: region,
      ...(key && { api_key: key }),
      default_authorization_type: APPSYNC_AUTH_TYPES[defaultAuthorizationMode],
      authorization_types: enabled.filter(m => m !== defaultAuthorizationMode).map(m => APPSYNC_AUTH_TYPES[m]),
      model_introspection: loaded.modelIntrospection,
    },
    tables: models.tables,
    stop: server.stop,
  }
}
