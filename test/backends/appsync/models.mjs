// The resolvers the Gen2 transformer generates for each `a.model()` (get, list, secondary-index queries, create,
// update, delete, relationship fields), over an in-memory table per model, with the auth rules of the model
// introspection enforced as the generated resolvers enforce them and DynamoDB's paging (`limit` counts the items
// read, before the filter; `nextToken` whenever a page stopped at `limit`).
import { randomUUID } from 'node:crypto'
import { AppSyncError, checkRules, grant, owns, unauthorized } from './auth.mjs'
import { matchesField, matchesFilter } from './filter.mjs'

const DEFAULT_LIMIT = 100
const conditionFailed = () =>
  new AppSyncError('DynamoDB:ConditionalCheckFailedException', 'The conditional request failed (Service: DynamoDb, Status Code: 400)')
const pascal = s => s.charAt(0).toUpperCase() + s.slice(1)

function encodeToken(query, after) {
  return Buffer.from(JSON.stringify({ query, after })).toString('base64url')
}

function decodeToken(query, token) {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString())
    if (decoded.query === query) return decoded.after
  }
  catch { /* below */ }
  throw new AppSyncError('DynamoDB:DynamoDbException', 'Invalid nextToken: it does not belong to this query')
}

/** DynamoDB's order of a query: by sort key when there is one, else by when the item was written. */
function compareBy(sortKey) {
  return (a, b) => {
    if (sortKey && a.item[sortKey] !== b.item[sortKey]) return a.item[sortKey] < b.item[sortKey] ? -1 : 1
    return a.seq - b.seq
  }
}

/**
 * @param {object} introspection  `model_introspection`
 * @param {{ defaults?: Record<string, Record<string, unknown>> }} [options]  `@default` values by model and field
 * @returns {{ resolvers: Record<string, Record<string, Function>>, tables: Map<string, Map<string, object>> }}
 *   `resolvers` by type and field name; `tables` holds every model's items by primary key
 */
export function modelResolvers(introspection, { defaults = {} } = {}) {
  const tables = new Map()
  const models = introspection.models
  let seq = 0
  const resolvers = { Query: {}, Mutation: {} }

  const meta = Object.fromEntries(Object.values(models).map((model) => {
    const rules = model.attributes?.find(a => a.type === 'auth')?.properties.rules ?? []
    checkRules(model.name, rules)
    const fieldRules = Object.values(model.fields).filter(f => f.attributes?.some(a => a.type === 'auth'))
    if (fieldRules.length) {
      throw new Error(`${model.name}: field-level auth rules (${fieldRules.map(f => f.name)}) are not supported by the local AppSync`)
    }
    const { primaryKeyFieldName, sortKeyFieldNames } = model.primaryKeyInfo
    if (sortKeyFieldNames.length > 1) throw new Error(`${model.name}: composite sort keys are not supported by the local AppSync`)
    tables.set(model.name, new Map())
    return [model.name, { model, rules, keyFields: [primaryKeyFieldName, ...sortKeyFieldNames] }]
  }))

  const keyOf = (name, values) => JSON.stringify(meta[name].keyFields.map(f => values[f] ?? null))

  /** Reads `name`'s items matching `match`, one DynamoDB page: `limit` items read, then the filter and the auth filter. */
  function query(name, { queryId, match = () => true, sortKey, sortDirection, filter, limit, nextToken }, caller, typeName, fieldName) {
    const access = grant(meta[name].rules, 'read', caller)
    if (access.none) throw unauthorized(fieldName, typeName)
    const compare = compareBy(sortKey)
    const direction = sortDirection === 'DESC' ? -1 : 1
    let rows = [...tables.get(name).values()].filter(row => match(row.item)).sort((a, b) => direction * compare(a, b))
    if (nextToken) {
      const after = decodeToken(queryId, nextToken)
      rows = rows.filter(row => direction * compare(row, after) > 0)
    }
    const page = rows.slice(0, limit ?? DEFAULT_LIMIT)
    const items = page.map(row => row.item).filter(item => matchesFilter(item, filter) && (access.all || owns(item, access.owners)))
    const last = page.length === (limit ?? DEFAULT_LIMIT) ? page.at(-1) : undefined
    return { items, nextToken: last ? encodeToken(queryId, { seq: last.seq, item: sortKey ? { [sortKey]: last.item[sortKey] } : {} }) : null }
  }

  function get(name, key, caller, typeName, fieldName) {
    const access = grant(meta[name].rules, 'read', caller)
    if (access.none) throw unauthorized(fieldName, typeName)
    const item = tables.get(name).get(keyOf(name, key))?.item
    if (!item) return null
    // The generated resolver queries with the auth filter: a record that exists but is not the caller's is refused.
    if (!access.all && !owns(item, access.owners)) throw unauthorized(fieldName, typeName)
    return item
  }

  /** Update and delete read the record first and decide on it, as the generated auth step does. */
  function writable(name, input, caller, operation, fieldName) {
    const access = grant(meta[name].rules, operation, caller)
    const item = tables.get(name).get(keyOf(name, input))?.item
    if (access.none || (!access.all && !owns(item, access.owners))) throw unauthorized(fieldName, 'Mutation')
    return item
  }

  function checkCondition(item, condition) {
    if (!item || !matchesFilter(item, condition)) throw conditionFailed()
  }

  for (const { model, keyFields } of Object.values(meta)) {
    const { name, pluralName, fields } = model
    const [pk, ...sortKeys] = keyFields
    const timestamps = ['createdAt', 'updatedAt'].filter(f => fields[f]?.isReadOnly)
    const relational = new Set(Object.values(fields).filter(f => f.association).map(f => f.name))

    resolvers.Query[`get${pascal(name)}`] = (_, args, { caller }) => get(name, args, caller, 'Query', `get${pascal(name)}`)

    const listField = `list${pascal(pluralName)}`
    resolvers.Query[listField] = (_, { filter, limit, nextToken, sortDirection, ...keys }, { caller }) => {
      const [sk] = sortKeys
      // With the partition key given, a list is a query of that partition, in sort key order.
      const match = item => keys[pk] == null || (item[pk] === keys[pk] && (!sk || !keys[sk] || matchesField(item[sk], keys[sk])))
      const sortKey = keys[pk] != null ? sk : undefined
      return query(name, { queryId: listField, match, sortKey, sortDirection, filter, limit, nextToken }, caller, 'Query', listField)
    }

    for (const { properties } of model.attributes.filter(a => a.type === 'key' && a.properties.queryField)) {
      const [indexPk, ...indexSk] = properties.fields
      if (indexSk.length > 1) throw new Error(`${name}.${properties.name}: composite sort keys are not supported by the local AppSync`)
      resolvers.Query[properties.queryField] = (_, args, { caller }) => query(name, {
        queryId: properties.queryField,
        match: item => item[indexPk] === args[indexPk]
          && (!indexSk.length || !args[indexSk[0]] || matchesField(item[indexSk[0]], args[indexSk[0]])),
        sortKey: indexSk[0],
        ...args,
      }, caller, 'Query', properties.queryField)
    }

    resolvers.Mutation[`create${pascal(name)}`] = (_, { input, condition }, { caller }) => {
      const fieldName = `create${pascal(name)}`
      const access = grant(meta[name].rules, 'create', caller)
      if (access.none) throw unauthorized(fieldName, 'Mutation')
      const now = new Date().toISOString()
      const item = { ...defaults[name], ...input }
      if (pk === 'id' && !sortKeys.length && !item.id) item.id = randomUUID()
      for (const f of timestamps) item[f] = now
      if (caller.authMode === 'userPool') {
        // The generated resolver fills in every absent owner field with the caller, as `<sub>::<username>`.
        const owner = `${caller.claims.sub}::${caller.identity.username}`
        for (const rule of meta[name].rules.filter(r => r.allow === 'owner')) {
          const field = rule.ownerField ?? 'owner'
          if (item[field] === undefined) item[field] = fields[field]?.isArray ? [owner] : owner
        }
      }
      if (!access.all && !owns(item, access.owners)) throw unauthorized(fieldName, 'Mutation')
      const key = keyOf(name, item)
      if (tables.get(name).has(key) || (condition && !matchesFilter({}, condition))) throw conditionFailed()
      tables.get(name).set(key, { seq: ++seq, item })
      return item
    }

    resolvers.Mutation[`update${pascal(name)}`] = (_, { input, condition }, { caller }) => {
      const current = writable(name, input, caller, 'update', `update${pascal(name)}`)
      checkCondition(current, condition)
      const item = { ...current }
      for (const [field, value] of Object.entries(input)) {
        if (keyFields.includes(field)) continue
        if (value === null) delete item[field]
        else item[field] = value
      }
      if (timestamps.includes('updatedAt')) item.updatedAt = new Date().toISOString()
      tables.get(name).get(keyOf(name, item)).item = item
      return item
    }

    resolvers.Mutation[`delete${pascal(name)}`] = (_, { input, condition }, { caller }) => {
      const current = writable(name, input, caller, 'delete', `delete${pascal(name)}`)
      checkCondition(current, condition)
      tables.get(name).delete(keyOf(name, current))
      return current
    }

    // Relationship fields, read with the related model's rules.
    resolvers[name] = {}
    for (const field of Object.values(fields).filter(f => relational.has(f.name))) {
      const related = field.type.model
      const { connectionType, associatedWith = [], targetNames = [] } = field.association
      const parentKey = parent => meta[name].keyFields.map(f => parent[f])
      if (connectionType === 'HAS_MANY') {
        resolvers[name][field.name] = (parent, args, { caller }) => {
          const key = parentKey(parent)
          return query(related, {
            queryId: `${name}.${field.name}:${JSON.stringify(key)}`,
            match: item => associatedWith.every((f, i) => item[f] === key[i]),
            ...args,
          }, caller, name, field.name)
        }
      }
      else {
        resolvers[name][field.name] = (parent, _, { caller }) => {
          const access = grant(meta[related].rules, 'read', caller)
          if (access.none) throw unauthorized(field.name, name)
          const item = targetNames.length
            ? tables.get(related).get(JSON.stringify(targetNames.map(f => parent[f] ?? null)))?.item
            : [...tables.get(related).values()].map(r => r.item).find(item => associatedWith.every((f, i) => item[f] === parentKey(parent)[i]))
          return item && (access.all || owns(item, access.owners)) ? item : null
        }
      }
    }
  }
  return { resolvers, tables }
}
