// A local stand-in for an Amazon Cognito identity pool: the two calls Amplify makes (`GetId`,
// `GetCredentialsForIdentity`, JSON 1.1 protocol) on a loopback port, reached through Amplify's
// `Auth.Cognito.identityPoolEndpoint` (NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT in the module).
// Id tokens in `Logins` are verified against the user pool's keys, as Cognito does. The temporary
// credentials it hands out are remembered, so that the local REST, GraphQL and S3 services can verify
// SigV4 signatures made with them and know who signed (`lookup`).
import { randomBytes, randomUUID } from 'node:crypto'
import { cognitoTokenVerifier, listen, sendJson } from './http-server.mjs'

const TARGET_PREFIX = 'AWSCognitoIdentityService.'

class ServiceError extends Error {
  constructor(type, message) {
    super(message)
    this.type = type
  }
}

const randomKey = (prefix, length) => prefix + randomBytes(length).toString('hex').toUpperCase().slice(0, length)

/**
 * @param {{ region?: string, identityPoolId?: string, userPools?: { issuer: string, clientId: string }[],
 *   allowGuest?: boolean, credentialsTtlSeconds?: number }} options
 *   `userPools`: the providers this pool trusts (`Logins` key = issuer without its scheme).
 */
export async function startIdentityPool({ region = 'us-east-1', identityPoolId = `${region}:${randomUUID()}`, userPools = [], allowGuest = true, credentialsTtlSeconds = 3600 } = {}) {
  const providers = new Map(userPools.map(pool => [pool.issuer.replace(/^https?:\/\//, ''), cognitoTokenVerifier(pool)]))
  /** identityId -> { identityId, login?: `${provider}#${sub}`, claims? } */
  const identities = new Map()
  /** `${provider}#${sub}` -> identityId */
  const identityByLogin = new Map()
  /** accessKeyId -> credentials and who they were issued to */
  const credentials = new Map()
  /** @type {Record<string, number>} */
  const counts = {}

  /** The one login of a `Logins` map, verified; undefined when the map is empty. */
  async function verifyLogins(logins = {}) {
    const entries = Object.entries(logins)
    if (!entries.length) return undefined
    if (entries.length > 1) throw new ServiceError('NotAuthorizedException', 'Only one login provider is supported here.')
    const [[provider, token]] = entries
    const verify = providers.get(provider)
    if (!verify) throw new ServiceError('NotAuthorizedException', `Invalid login token. Issuer doesn't match providerName`)
    const claims = await verify(token, 'id').catch((error) => {
      throw new ServiceError('NotAuthorizedException', `Invalid login token. ${error.message}`)
    })
    return { login: `${provider}#${claims.sub}`, claims }
  }

  function newIdentity(login, claims) {
    const identityId = `${region}:${randomUUID()}`
    identities.set(identityId, { identityId, login, claims })
    if (login) identityByLogin.set(login, identityId)
    return identityId
  }

  function checkPool(input) {
    if (input.IdentityPoolId !== undefined && input.IdentityPoolId !== identityPoolId) {
      throw new ServiceError('ResourceNotFoundException', `IdentityPool '${input.IdentityPoolId}' not found.`)
    }
  }

  const operations = {
    async GetId(input) {
      checkPool(input)
      const user = await verifyLogins(input.Logins)
      if (!user) {
        if (!allowGuest) throw new ServiceError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.')
        return { IdentityId: newIdentity() }
      }
      return { IdentityId: identityByLogin.get(user.login) ?? newIdentity(user.login, user.claims) }
    },
    async GetCredentialsForIdentity(input) {
      const identity = identities.get(input.IdentityId)
      if (!identity) throw new ServiceError('ResourceNotFoundException', `Identity '${input.IdentityId}' not found.`)
      const user = await verifyLogins(input.Logins)
      if (user) {
        const linked = identityByLogin.get(user.login)
        // A guest identity becomes the user's on their first sign-in, as in Cognito.
        if (!identity.login && !linked) {
          Object.assign(identity, { login: user.login, claims: user.claims })
          identityByLogin.set(user.login, identity.identityId)
        }
        else if (identity.login !== user.login) {
          throw new ServiceError('NotAuthorizedException', `Logins don't match. Please include at least one valid login for this identity or identity pool.`)
        }
        identity.claims = user.claims
      }
      else if (identity.login) {
        throw new ServiceError('NotAuthorizedException', 'Unauthenticated access is not permitted for this identity.')
      }
      else if (!allowGuest) {
        throw new ServiceError('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.')
      }
      const issued = {
        accessKeyId: randomKey('ASIA', 16),
        secretAccessKey: randomBytes(30).toString('base64'),
        sessionToken: randomBytes(48).toString('base64'),
        expiration: Math.floor(Date.now() / 1000) + credentialsTtlSeconds,
        identityId: identity.identityId,
        authenticated: Boolean(user),
        sub: user?.claims.sub,
        username: user?.claims['cognito:username'],
      }
      credentials.set(issued.accessKeyId, issued)
      return {
        IdentityId: identity.identityId,
        Credentials: { AccessKeyId: issued.accessKeyId, SecretKey: issued.secretAccessKey, SessionToken: issued.sessionToken, Expiration: issued.expiration },
      }
    },
  }

  const server = await listen(async (req, res, body) => {
    const target = String(req.headers['x-amz-target'] ?? '')
    const operation = target.startsWith(TARGET_PREFIX) && operations[target.slice(TARGET_PREFIX.length)]
    const name = target.slice(TARGET_PREFIX.length) || `${req.method} ${req.url}`
    counts[name] = (counts[name] ?? 0) + 1
    const json = { 'content-type': 'application/x-amz-json-1.1' }
    if (req.method !== 'POST' || !operation) {
      return sendJson(res, 400, { __type: 'UnknownOperationException', message: `Unsupported operation ${name}` }, json)
    }
    try {
      sendJson(res, 200, await operation(JSON.parse(body.toString() || '{}')), json)
    }
    catch (error) {
      if (!(error instanceof ServiceError)) throw error
      sendJson(res, 400, { __type: error.type, message: error.message }, { ...json, 'x-amzn-errortype': error.type })
    }
  })

  return {
    endpoint: server.url,
    region,
    identityPoolId,
    /** Requests by operation (`GetId`, `GetCredentialsForIdentity`). */
    counts,
    resetCounts() {
      for (const key of Object.keys(counts)) delete counts[key]
    },
    /**
     * The credentials issued under `accessKeyId` (unexpired), with who they belong to:
     * `{ accessKeyId, secretAccessKey, sessionToken, identityId, authenticated, sub?, username? }`.
     */
    lookup(accessKeyId) {
      const issued = credentials.get(accessKeyId)
      return issued && issued.expiration * 1000 > Date.now() ? issued : undefined
    },
    stop: server.stop,
  }
}
