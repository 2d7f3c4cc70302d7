// The filter and condition semantics of AppSync's DynamoDB resolvers (`$util.transform.toDynamoDBFilterExpression`
// and `…ConditionExpression` over DynamoDB's comparison rules), on plain items: `and`/`or`/`not`, the `Model*Input`
// operators and `Model*KeyConditionInput` for sort keys.

const TYPES = {
  S: v => typeof v === 'string',
  N: v => typeof v === 'number',
  BOOL: v => typeof v === 'boolean',
  NULL: v => v === null,
  L: Array.isArray,
  M: v => v !== null && typeof v === 'object' && !Array.isArray(v),
}

/** DynamoDB compares only values of one type; anything else is false. */
function comparable(a, b) {
  return a !== undefined && a !== null && b !== null && typeof a === typeof b && (typeof a === 'string' || typeof a === 'number')
}

const size = v => typeof v === 'string' || Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : undefined
const contains = (v, x) => typeof v === 'string' ? typeof x === 'string' && v.includes(x) : Array.isArray(v) && v.includes(x)
const equal = (a, b) => a === b || (a !== null && b !== null && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))

const OPERATORS = {
  eq: (v, x) => v !== undefined && equal(v, x),
  // DynamoDB's `<>` holds for an absent attribute.
  ne: (v, x) => v === undefined || !equal(v, x),
  lt: (v, x) => comparable(v, x) && v < x,
  le: (v, x) => comparable(v, x) && v <= x,
  gt: (v, x) => comparable(v, x) && v > x,
  ge: (v, x) => comparable(v, x) && v >= x,
  between: (v, [low, high] = []) => comparable(v, low) && comparable(v, high) && low <= v && v <= high,
  beginsWith: (v, x) => typeof v === 'string' && typeof x === 'string' && v.startsWith(x),
  contains,
  notContains: (v, x) => !contains(v, x),
  attributeExists: (v, x) => (v !== undefined) === x,
  attributeType: (v, x) => v !== undefined && Boolean(TYPES[x]?.(v)),
  size: (v, ops) => Object.entries(ops).every(([op, x]) => x === null || OPERATORS[op](size(v), x)),
  in: (v, xs) => v !== undefined && xs.some(x => equal(v, x)),
}

/** Whether `value` satisfies every operator of one field's input (`{ eq: 'a' }`, `{ beginsWith: 'x', ne: 'xy' }`). */
export function matchesField(value, ops) {
  return Object.entries(ops).every(([op, operand]) => {
    if (operand === null || operand === undefined) return true
    const test = OPERATORS[op]
    if (!test) throw Object.assign(new Error(`Unsupported filter operator ${op}`), { errorType: 'DynamoDB:DynamoDbException' })
    return test(value, operand)
  })
}

/** Whether `item` satisfies a `Model<Type>FilterInput` / `Model<Type>ConditionInput` (absent filter: always). */
export function matchesFilter(item, filter) {
  if (!filter) return true
  return Object.entries(filter).every(([key, value]) => {
    if (value === null || value === undefined) return true
    if (key === 'and') return value.every(f => matchesFilter(item, f))
    if (key === 'or') return value.length === 0 || value.some(f => matchesFilter(item, f))
    if (key === 'not') return !matchesFilter(item, value)
    return matchesField(item[key], value)
  })
}
