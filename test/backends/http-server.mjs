// Small pieces shared by the local AWS stand-ins (identity pool, REST, GraphQL, S3).
import { createServer } from 'node:http'
import { createRemoteJWKSet, jwtVerify } from 'jose'

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Open CORS, as API Gateway, AppSync and S3 are configured for a web app, so that a browser page can call them. */
export function corsHeaders(req) {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-methods': 'GET,HEAD,PUT,POST,PATCH,DELETE,OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers': 'etag,x-amz-request-id,x-amz-version-id,x-amzn-errortype,x-amzn-requestid,content-length,content-type,last-modified,x-amz-meta-owner',
    'access-control-max-age': '600',
  }
}

export function sendJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/**
 * Listens on a free loopback port. `handler(req, res, body)` gets the whole body; CORS preflights are answered here.
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>} the server's URL and a way to stop it
 */
export function listen(handler, { port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer(async (req, res) => {
    const cors = corsHeaders(req)
    for (const [k, v] of Object.entries(cors)) res.setHeader(k, v)
    if (req.method === 'OPTIONS') {
      res.writeHead(204)
      return res.end()
    }
    try {
      await handler(req, res, await readBody(req))
    }
    catch (error) {
      console.error('[test service]', error)
      if (!res.headersSent) sendJson(res, 500, { message: String(error?.message ?? error) })
      else res.end()
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const { port } = server.address()
      resolve({
        url: `http://${host}:${port}`,
        port,
        stop: () => new Promise((done) => {
          server.closeAllConnections()
          server.close(() => done())
        }),
      })
    })
  })
}

/**
 * Verifies Cognito user-pool tokens (RS256, the pool's JWKS, issuer, client id, token use), as API Gateway's
 * Cognito authorizer and AppSync's user-pool auth do. Resolves to the claims, rejects otherwise.
 * @param {{ issuer: string, clientId: string, jwksUri?: string }} pool
 */
export function cognitoTokenVerifier({ issuer, clientId, jwksUri = `${issuer}/.well-known/jwks.json` }) {
  const jwks = createRemoteJWKSet(new URL(jwksUri))
  return async (token, use) => {
    const { payload } = await jwtVerify(String(token).replace(/^Bearer /i, ''), jwks, { issuer, algorithms: ['RS256'] })
    if (use && payload.token_use !== use) throw new Error(`expected an ${use} token, got ${payload.token_use}`)
    const client = payload.token_use === 'id' ? payload.aud : payload.client_id
    if (client !== clientId) throw new Error('token issued for another client')
    return payload
  }
}
