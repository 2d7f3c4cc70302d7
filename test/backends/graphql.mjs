// A local stand-in for an AWS AppSync GraphQL API with a small notes schema, checking callers as AppSync does
// for the auth modes Amplify uses: `userPool` (a Cognito access or id token in `Authorization`, no "Bearer"),
// `iam` (SigV4 for `appsync`, made with the local identity pool's credentials) and `apiKey` (`x-api-key`).
// A request no mode accepts is answered 401 `UnauthorizedException`; fields a caller may not use answer
// AppSync's `Unauthorized` error (HTTP 200 with `errors`).
import { randomUUID } from 'node:crypto'
import { buildSchema, graphql } from 'graphql'
import { cognitoTokenVerifier, listen, sendJson } from './http-server.mjs'
import { verifySigV4 } from './sigv4.mjs'

export const SCHEMA = /* GraphQL */ `
  type Caller { auth: String!, authenticated: Boolean!, username: String, identityId: String }
  type Note { id: ID!, text: String!, owner: String!, createdAt: String! }
  type Query {
    "Who AppSync says is calling; any auth mode."
    whoami: Caller!
    "Public; any auth mode."
    publicMessage: String!
    "The caller's notes; signed-in users only (userPool, or iam with an authenticated identity)."
    listNotes: [Note!]!
  }
  type Mutation {
    createNote(text: String!): Note!
    deleteNote(id: ID!): Note
  }
`

class Unauthorized extends Error {
  constructor(field, type) {
    super(`Not Authorized to access ${field} on type ${type}`)
    this.errorType = 'Unauthorized'
  }
}

/**
 * @param {{ identityPool?: { lookup: Function }, userPool?: { issuer: string, clientId: string }, apiKey?: string }} options
 * @returns `{ endpoint, apiKey, notes, stop }` — `endpoint` is `API.GraphQL.endpoint`.
 */
export async function startGraphQLApi({ identityPool, userPool, apiKey = `da2-${randomUUID().replace(/-/g, '').slice(0, 26)}` } = {}) {
  const verifyToken = userPool && cognitoTokenVerifier(userPool)
  const schema = buildSchema(SCHEMA)
  /** owner -> Note[] */
  const notes = new Map()

  const owner = (caller, field, type) => {
    if (!caller.authenticated || !caller.username) throw new Unauthorized(field, type)
    return caller.username
  }
  const root = {
    whoami: (_, { caller }) => caller,
    publicMessage: () => 'Hello from the local GraphQL API',
    listNotes: (_, { caller }) => notes.get(owner(caller, 'listNotes', 'Query')) ?? [],
    createNote: ({ text }, { caller }) => {
      const who = owner(caller, 'createNote', 'Mutation')
      const note = { id: randomUUID(), text, owner: who, createdAt: new Date().toISOString() }
      notes.set(who, [...(notes.get(who) ?? []), note])
      return note
    },
    deleteNote: ({ id }, { caller }) => {
      const who = owner(caller, 'deleteNote', 'Mutation')
      const mine = notes.get(who) ?? []
      const note = mine.find(n => n.id === id) ?? null
      notes.set(who, mine.filter(n => n.id !== id))
      return note
    },
  }

  async function identify(req, body) {
    const authorization = req.headers.authorization
    if (req.headers['x-api-key']) return req.headers['x-api-key'] === apiKey ? { auth: 'apiKey', authenticated: false, username: null } : undefined
    if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
      if (!identityPool) return undefined
      const verdict = await verifySigV4({ method: req.method, url: req.url, headers: req.headers, body }, { service: 'appsync', lookup: identityPool.lookup })
      if (!verdict.ok) return undefined
      const c = identityPool.lookup(verdict.accessKeyId)
      return { auth: 'iam', authenticated: c.authenticated, username: c.username ?? null, identityId: c.identityId }
    }
    if (authorization && verifyToken) {
      const claims = await verifyToken(authorization).catch(() => undefined)
      return claims && { auth: 'userPool', authenticated: true, username: claims['cognito:username'] ?? claims.username }
    }
  }

  const server = await listen(async (req, res, body) => {
    if (req.method !== 'POST' || new URL(req.url, 'http://local').pathname !== '/graphql') return sendJson(res, 404, { message: 'Not Found' })
    const caller = await identify(req, body)
    if (!caller) {
      return sendJson(res, 401, { errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] }, { 'x-amzn-errortype': 'UnauthorizedException' })
    }
    const { query, variables, operationName } = JSON.parse(body.toString() || '{}')
    const result = await graphql({ schema, source: query, rootValue: root, contextValue: { caller }, variableValues: variables, operationName })
    sendJson(res, 200, {
      data: result.data ?? null,
      ...(result.errors && { errors: result.errors.map(e => ({ path: e.path, errorType: e.originalError?.errorType ?? 'GraphQLError', message: e.message, locations: e.locations })) }),
    })
  })

  return {
    /** `API.GraphQL.endpoint` */
    endpoint: `${server.url}/graphql`,
    apiKey,
    notes,
    stop: server.stop,
  }
}
