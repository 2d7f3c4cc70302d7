// Who is calling, as AppSync decides it from the request (`userPool`: a Cognito access or id token in
// `Authorization`; `iam`: a SigV4 signature for `appsync` made with the local identity pool's credentials; `apiKey`:
// `x-api-key`; `lambda`: any other `Authorization` token, judged by the API's Lambda authorizer), and what the
// model's auth rules let them do, as the Gen2 transformer's resolvers decide it.
import { randomUUID } from 'node:crypto'
import { cognitoTokenVerifier } from '../http-server.mjs'
import { verifySigV4 } from '../sigv4.mjs'

export const ACCOUNT_ID = '000000000000'

export class AppSyncError extends Error {
  constructor(errorType, message) {
    super(message)
    this.errorType = errorType
  }
}

export const unauthorized = (fieldName, typeName) =>
  new AppSyncError('Unauthorized', `Not Authorized to access ${fieldName} on type ${typeName}`)

/** A request no enabled auth mode accepts: AppSync's HTTP 401. */
export class Refused extends Error {}

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/

/**
 * @param {{ userPool?: { issuer: string, clientId: string }, identityPool?: { identityPoolId: string, lookup: Function },
 *   apiKey?: string, lambdaAuthorizer?: (event: object) => Promise<{ isAuthorized: boolean, resolverContext?: object }> }} modes
 *   the enabled auth modes
 * @returns {(req, body: Buffer, request: { query?: string, operationName?: string, variables?: object }) => Promise<{
 *   authMode: 'userPool' | 'iam' | 'apiKey' | 'lambda', claims?: object, iam?: { authenticated: boolean, identityId: string },
 *   identity: object | null }>}  rejects with `Refused`
 */
export function callerIdentifier({ userPool, identityPool, apiKey, lambdaAuthorizer }) {
  const verifyToken = userPool && cognitoTokenVerifier(userPool)
  return async (req, body, request) => {
    const sourceIp = [req.socket.remoteAddress]
    const authorization = req.headers.authorization
    if (req.headers['x-api-key'] !== undefined) {
      if (!apiKey || req.headers['x-api-key'] !== apiKey) throw new Refused('You are not authorized to make this call.')
      return { authMode: 'apiKey', identity: null }
    }
    if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
      if (!identityPool) throw new Refused('IAM authorization is not enabled for this API.')
      const signed = { method: req.method, url: req.url, headers: req.headers, body }
      const verdict = await verifySigV4(signed, { service: 'appsync', lookup: identityPool.lookup })
      if (!verdict.ok) throw new Refused(`The request signature is not valid: ${verdict.reason}`)
      const { authenticated, identityId, sub } = identityPool.lookup(verdict.accessKeyId)
      const role = authenticated ? 'authenticated' : 'unauthenticated'
      const provider = userPool?.issuer.replace(/^https?:\/\//, '')
      return {
        authMode: 'iam',
        iam: { authenticated, identityId },
        identity: {
          accountId: ACCOUNT_ID,
          cognitoIdentityPoolId: identityPool.identityPoolId,
          cognitoIdentityId: identityId,
          cognitoIdentityAuthType: role,
          cognitoIdentityAuthProvider: authenticated && provider ? `"${provider}:CognitoSignIn:${sub}"` : null,
          userArn: `arn:aws:sts::${ACCOUNT_ID}:assumed-role/${role}/CognitoIdentityCredentials`,
          username: `${verdict.accessKeyId}:CognitoIdentityCredentials`,
          sourceIp,
        },
      }
    }
    // With both modes enabled, a JWT is the user pool's and any other token the Lambda authorizer's.
    if (authorization && lambdaAuthorizer && !(verifyToken && JWT.test(authorization))) {
      const verdict = await lambdaAuthorizer({
        authorizationToken: authorization,
        requestContext: {
          apiId: 'local',
          accountId: ACCOUNT_ID,
          requestId: randomUUID(),
          queryString: request.query,
          operationName: request.operationName,
          variables: request.variables ?? {},
        },
        requestHeaders: req.headers,
      })
      if (!verdict?.isAuthorized) throw new Refused('You are not authorized to make this call.')
      return { authMode: 'lambda', identity: { resolverContext: verdict.resolverContext ?? {} } }
    }
    if (authorization) {
      if (!verifyToken) throw new Refused('Cognito user pool authorization is not enabled for this API.')
      const claims = await verifyToken(authorization).catch((error) => {
        throw new Refused(error?.code === 'ERR_JWT_EXPIRED' ? 'Token has expired.' : 'Valid authorization header not provided.')
      })
      const username = claims.username ?? claims['cognito:username']
      return {
        authMode: 'userPool',
        claims,
        identity: {
          sub: claims.sub,
          issuer: claims.iss,
          username,
          claims,
          sourceIp,
          defaultAuthStrategy: 'ALLOW',
          groups: claims['cognito:groups'] ?? null,
        },
      }
    }
    throw new Refused('Valid authorization header not provided.')
  }
}

const PROVIDERS = { userPools: 'userPool', iam: 'iam', identityPool: 'iam', apiKey: 'apiKey', function: 'lambda' }
/** The auth mode of a rule; the introspection leaves out the provider when it is the rule's default. */
const modeOf = rule => PROVIDERS[rule.provider ?? { public: 'apiKey', custom: 'function' }[rule.allow] ?? 'userPools']
/** Gen2's finer operations are all reads. */
const READS = new Set(['read', 'get', 'list', 'listen', 'sync', 'search'])

/** Rules the local service cannot enforce are refused when the schema is loaded, not ignored at request time. */
export function checkRules(modelName, rules) {
  for (const rule of rules) {
    const supported = ['owner', 'private', 'public', 'custom'].includes(rule.allow) || (rule.allow === 'groups' && !rule.groupsField)
    if (!supported || !modeOf(rule)) {
      throw new Error(`${modelName}: the auth rule ${JSON.stringify(rule)} is not supported by the local AppSync`)
    }
  }
}

/** The values of an owner field that name the caller: Gen2 writes `<sub>::<username>`, and reads older `sub` or `username` owners too. */
export function ownerClaims(rule, claims) {
  const claim = rule.identityClaim ?? 'cognito:username'
  if (claim !== 'cognito:username' && claim !== 'username') return [claims[claim]].filter(Boolean)
  const username = claims.username ?? claims['cognito:username']
  return [`${claims.sub}::${username}`, claims.sub, username].filter(Boolean)
}

/**
 * What `caller` may do with `operation` (`create`, `read`, `update`, `delete`) on a model with `rules`:
 * `{ all: true }` (some rule grants it outright), `{ owners: [{ field, claims }] }` (only records one of whose owner
 * fields names the caller) or `{ none: true }`.
 */
export function grant(rules, operation, caller) {
  const applies = rule => (rule.operations ?? ['create', 'read', 'update', 'delete'])
    .some(op => op === operation || (operation === 'read' && READS.has(op)))
  const owners = []
  for (const rule of rules.filter(applies)) {
    const mode = modeOf(rule)
    if (mode !== caller.authMode) continue
    if (rule.allow === 'public') {
      // An identity pool's public rule is its unauthenticated role's; the signed-in role is `private`.
      if (mode !== 'iam' || !caller.iam.authenticated) return { all: true }
    }
    else if (rule.allow === 'private') {
      if (mode !== 'iam' || caller.iam.authenticated) return { all: true }
    }
    else if (rule.allow === 'custom') {
      return { all: true }
    }
    else if (rule.allow === 'groups') {
      const groups = caller.claims?.[rule.groupClaim ?? 'cognito:groups'] ?? []
      if (rule.groups.some(g => groups.includes(g))) return { all: true }
    }
    else if (rule.allow === 'owner') {
      owners.push({ field: rule.ownerField ?? 'owner', claims: ownerClaims(rule, caller.claims) })
    }
  }
  return owners.length ? { owners } : { none: true }
}

/** Whether a record belongs to the caller under an `{ owners }` grant (owner fields may hold one owner or a list). */
export function owns(item, owners) {
  return owners.some(({ field, claims }) => [].concat(item?.[field] ?? []).some(v => claims.includes(v)))
}
