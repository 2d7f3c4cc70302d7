// The deployed AppSync schema made executable by graphql-js: AppSync's built-in scalars and auth directives declared,
// the resolvers attached, and AppSync's first auth gate on every field: a field is open to the auth modes of its own
// directives, else those of its type, else the API's default mode.
import { GraphQLError, Kind, buildSchema, defaultFieldResolver, isObjectType } from 'graphql'
import { unauthorized } from './auth.mjs'

const PRELUDE = /* GraphQL */ `
  scalar AWSDate
  scalar AWSTime
  scalar AWSDateTime
  scalar AWSTimestamp
  scalar AWSEmail
  scalar AWSJSON
  scalar AWSURL
  scalar AWSPhone
  scalar AWSIPAddress
  directive @aws_api_key on OBJECT | FIELD_DEFINITION
  directive @aws_iam on OBJECT | FIELD_DEFINITION
  directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION
  directive @aws_oidc on OBJECT | FIELD_DEFINITION
  directive @aws_lambda on OBJECT | FIELD_DEFINITION
  directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
  directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
  directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
`

const MODES = { aws_api_key: 'apiKey', aws_iam: 'iam', aws_cognito_user_pools: 'userPool', aws_oidc: 'oidc', aws_lambda: 'lambda' }

const FORMATS = {
  AWSDate: /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/,
  AWSTime: /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/,
  AWSDateTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/,
  AWSEmail: /^[^@\s]+@[^@\s]+$/,
}

/** AWSJSON travels as a JSON string and reaches resolvers parsed; the other scalars are checked strings. */
function defineScalars(schema) {
  for (const [name, format] of Object.entries(FORMATS)) {
    const type = schema.getType(name)
    const check = (value) => {
      if (typeof value !== 'string' || !format.test(value)) throw new GraphQLError(`Can't serialize value (${name}): ${JSON.stringify(value)}`)
      return value
    }
    Object.assign(type, { parseValue: check, parseLiteral: ast => check(ast.kind === Kind.STRING ? ast.value : undefined) })
  }
  const json = schema.getType('AWSJSON')
  const parse = (value) => {
    try {
      return JSON.parse(value)
    }
    catch {
      throw new GraphQLError(`Variable has an invalid value: AWSJSON expects a JSON string, got ${JSON.stringify(value)}`)
    }
  }
  Object.assign(json, {
    parseValue: parse,
    parseLiteral: ast => parse(ast.kind === Kind.STRING ? ast.value : undefined),
    serialize: value => (typeof value === 'string' ? value : JSON.stringify(value)),
  })
}

function authModes(node) {
  const modes = (node?.directives ?? []).map(d => MODES[d.name.value]).filter(Boolean)
  return modes.length ? modes : undefined
}

/**
 * @param {string} appSyncSdl  the AppSync schema (transform.mjs)
 * @param {{ resolvers: Record<string, Record<string, Function>>, defaultAuthMode: string }} options
 */
export function executableSchema(appSyncSdl, { resolvers, defaultAuthMode }) {
  const schema = buildSchema(PRELUDE + appSyncSdl)
  defineScalars(schema)
  for (const [typeName, fields] of Object.entries(resolvers)) {
    for (const fieldName of Object.keys(fields)) {
      if (!schema.getType(typeName)?.getFields()[fieldName]) throw new Error(`The AppSync schema has no ${typeName}.${fieldName}`)
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    const typeModes = authModes(type.astNode)
    for (const field of Object.values(type.getFields())) {
      const modes = authModes(field.astNode) ?? typeModes ?? [defaultAuthMode]
      const resolve = resolvers[type.name]?.[field.name] ?? defaultFieldResolver
      field.resolve = (source, args, context, info) => {
        if (!modes.includes(context.caller.authMode)) throw unauthorized(field.name, type.name)
        return resolve(source, args, context, info)
      }
    }
  }
  return schema
}
