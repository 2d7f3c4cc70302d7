// A local stand-in for an API Gateway REST API that echoes who called and what was sent.
// Callers are authenticated as API Gateway would: IAM (SigV4 for `execute-api`, re-computed from the secret that
// the local identity pool issued) or a Cognito user-pool token in `Authorization` (a Cognito authorizer).
// Paths under `/<stage>/public` admit guests (unauthenticated identity-pool credentials); every other path needs a
// signed-in user, as an identity pool's authenticated role or the authorizer would.
import { cognitoTokenVerifier, listen, sendJson } from './http-server.mjs'
import { verifySigV4 } from './sigv4.mjs'

function parseBody(body, type = '') {
  if (!body.length) return undefined
  if (type.includes('json')) {
    try {
      return JSON.parse(body.toString())
    }
    catch {
      return body.toString()
    }
  }
  return body.toString()
}

/**
 * @param {{ identityPool?: { lookup: Function }, userPool?: { issuer: string, clientId: string }, stage?: string }} options
 * @returns the API's `endpoint` (what goes into `API.REST.<name>.endpoint`), `requests` (the last ones seen), `stop`.
 */
export async function startRestApi({ identityPool, userPool, stage = 'test' } = {}) {
  const verifyToken = userPool && cognitoTokenVerifier(userPool)
  const requests = []

  /** The caller, or an API Gateway-style error [status, type, message]. */
  async function identify(req, body) {
    const authorization = req.headers.authorization
    if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
      if (!identityPool) return [403, 'IncompleteSignatureException', 'IAM authorization is not enabled on this API']
      const verdict = await verifySigV4({ method: req.method, url: req.url, headers: req.headers, body }, { service: 'execute-api', lookup: identityPool.lookup })
      if (!verdict.ok) return [403, verdict.reason.startsWith('unknown') ? 'UnrecognizedClientException' : 'InvalidSignatureException', `The request signature we calculated does not match the signature you provided (${verdict.reason}).`]
      const c = identityPool.lookup(verdict.accessKeyId)
      return { auth: 'iam', identityId: c.identityId, authenticated: c.authenticated, username: c.username ?? null }
    }
    if (authorization) {
      if (!verifyToken) return [401, 'UnauthorizedException', 'Unauthorized']
      try {
        const claims = await verifyToken(authorization)
        return { auth: 'userPool', tokenUse: claims.token_use, authenticated: true, username: claims['cognito:username'] ?? claims.username, sub: claims.sub }
      }
      catch {
        return [401, 'UnauthorizedException', 'Unauthorized']
      }
    }
    return [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token']
  }

  const server = await listen(async (req, res, body) => {
    const url = new URL(req.url, 'http://local')
    if (!url.pathname.startsWith(`/${stage}/`)) return sendJson(res, 404, { message: 'Not Found' })
    const path = url.pathname.slice(stage.length + 1)
    const caller = await identify(req, body)
    if (Array.isArray(caller)) {
      const [status, type, message] = caller
      return sendJson(res, status, { message }, { 'x-amzn-errortype': type })
    }
    if (!caller.authenticated && !path.startsWith('/public')) {
      return sendJson(res, 403, { message: 'User is not authorized to access this resource' }, { 'x-amzn-errortype': 'AccessDeniedException' })
    }
    const echo = {
      method: req.method,
      path,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'] ?? null,
      body: parseBody(body, req.headers['content-type']),
      caller,
    }
    requests.push(echo)
    if (requests.length > 50) requests.shift()
    const headers = { 'x-echo-method': req.method, 'x-echo-auth': caller.auth, 'x-echo-user': caller.username ?? '' }
    if (req.method === 'HEAD') {
      res.writeHead(200, headers)
      return res.end()
    }
    sendJson(res, 200, echo, headers)
  })

  return {
    /** `API.REST.<name>.endpoint`: the stage URL. */
    endpoint: `${server.url}/${stage}`,
    requests,
    stop: server.stop,
  }
}
