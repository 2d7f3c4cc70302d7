// The Hosted UI domain of a test pool. cognito-local serves `/oauth2/authorize` (login form, code + state) and
// `/oauth2/token` (PKCE) itself: those are passed on through the backend's counting proxy. It has no `/logout`:
// that one is answered here as Cognito does — the client must exist and `logout_uri` must be one of its sign-out URLs.
import { createServer, request as httpRequest } from 'node:http'
import { cognitoCall, freePort } from './cognito.mjs'

function forward(req, res, target) {
  const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers)
    up.pipe(res)
  })
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(upstream)
}

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))

async function logout(res, url, backend) {
  const clientId = url.searchParams.get('client_id')
  const logoutUri = url.searchParams.get('logout_uri')
  if (!clientId || !logoutUri) return json(res, 400, { error: 'invalid_request', error_description: 'client_id and logout_uri are required' })
  const client = await cognitoCall(backend.emulatorUrl, 'DescribeUserPoolClient', { UserPoolId: backend.userPoolId, ClientId: clientId })
    .then(answer => answer.UserPoolClient, () => undefined)
  if (!client) return json(res, 400, { error: 'invalid_client' })
  if (!(client.LogoutURLs ?? []).includes(logoutUri)) return json(res, 400, { error: 'invalid_request', error_description: 'logout_uri is not a sign-out URL of this client' })
  res.writeHead(302, { location: logoutUri }).end()
}

/**
 * Starts the Hosted UI domain in front of `backend` (from `startCognito`) on a free loopback port.
 * `logouts` counts the sign-outs it accepted.
 */
export async function startHostedUi(backend) {
  const port = await freePort()
  const target = new URL(backend.endpoint)
  const stats = { logouts: 0 }
  const server = createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host}`)
    if (url.pathname === '/logout' && req.method === 'GET') {
      return logout(res, url, backend).then(() => {
        if (res.statusCode === 302) stats.logouts++
      })
    }
    forward(req, res, target)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}
