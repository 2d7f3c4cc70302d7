// Custom queries and mutations (`a.query()`, `a.mutation()`) whose handler is an AppSync JS resolver without a data
// source (`a.handler.custom({ entry })`): the entry's `request(ctx)` runs, its `payload` becomes `ctx.result`, and
// `response(ctx)` gives the field's value, as in AppSync's JS runtime (without `@aws-appsync/utils`).
import { createJiti } from 'jiti'
import { AppSyncError } from './auth.mjs'

const jiti = createJiti(import.meta.url)

/**
 * @param {object} introspection  `model_introspection` (its `queries` and `mutations`)
 * @param {Map<string, { dataSource: string, entry: string }>} handlers  by `Query.echo`-style key
 * @returns {{ Query: Record<string, Function>, Mutation: Record<string, Function> }} the resolvers
 */
export function customOperationResolvers(introspection, handlers) {
  const resolvers = { Query: {}, Mutation: {} }
  for (const [section, typeName] of [['queries', 'Query'], ['mutations', 'Mutation']]) {
    for (const { name } of Object.values(introspection[section] ?? {})) {
      const handler = handlers.get(`${typeName}.${name}`)
      resolvers[typeName][name] = async (_, args, { caller, request }, info) => {
        if (!handler || handler.dataSource !== 'NONE_DS') {
          const message = `${typeName}.${name}: the local AppSync runs only a.handler.custom() handlers without a data source`
          throw new AppSyncError('LocalAppSync:Unsupported', message)
        }
        const code = await jiti.import(handler.entry)
        const ctx = {
          arguments: args,
          args,
          identity: caller.identity,
          source: null,
          stash: {},
          prev: { result: null },
          request: { headers: request.headers, domainName: null },
          info: { fieldName: info.fieldName, parentTypeName: info.parentType.name, variables: info.variableValues, selectionSetList: [] },
        }
        ctx.result = (await code.request(ctx))?.payload ?? null
        return code.response(ctx)
      }
    }
  }
  return resolvers
}
