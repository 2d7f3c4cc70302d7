// The offline Cognito backend shared by `npm run dev`, the tests and the benchmark:
// cognito-local (a user-pool emulator) behind a small proxy that adds the refresh call Amplify v6 uses
// and Amplify's default sign-in (SRP, cognito-srp.mjs), and counts every request that reaches "Cognito".
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { SignJWT, decodeJwt, importJWK } from 'jose'
import { createSrpFront } from './cognito-srp.mjs'

const require = createRequire(import.meta.url)
export const REGION = 'us-east-1'

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitForHealth(url, child) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`cognito-local exited with code ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/health`)
      if (res.ok) return
    }
    catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`cognito-local did not become healthy at ${url} within 10 s`)
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', c => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * cognito-local lacks `GetTokensFromRefreshToken` (Amplify 6.22's refresh call) and `GlobalSignOut`:
 * the first is the same as `InitiateAuth` with `REFRESH_TOKEN_AUTH`, the second has no server state to drop.
 */
function rewrite(target, body) {
  if (target === 'AWSCognitoIdentityProviderService.GetTokensFromRefreshToken') {
    const input = JSON.parse(body.toString() || '{}')
    return {
      target: 'AWSCognitoIdentityProviderService.InitiateAuth',
      body: Buffer.from(JSON.stringify({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: input.ClientId,
        AuthParameters: { REFRESH_TOKEN: input.RefreshToken },
      })),
    }
  }
  return { target, body }
}

function startProxy(port, upstreamPort, { counts, health, srp }) {
  const server = createServer(async (req, res) => {
    // An outage as a client sees it: the connection drops without an answer, or an error status comes back.
    if (!health.up) {
      if (!health.status) return req.socket.destroy()
      res.writeHead(health.status, { 'content-type': 'text/plain' })
      return res.end('Service Unavailable')
    }
    // Test processes other than the one running the proxy read and reset the counts here.
    if (req.url === '/__counts') {
      if (req.method === 'DELETE') for (const key of Object.keys(counts)) delete counts[key]
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(counts))
    }
    const target = req.headers['x-amz-target']
    const key = target ? String(target).split('.').pop() : req.url.includes('jwks.json') ? 'jwks' : `${req.method} ${req.url.split('?')[0]}`
    counts[key] = (counts[key] ?? 0) + 1
    counts.total = (counts.total ?? 0) + 1
    if (target === 'AWSCognitoIdentityProviderService.GlobalSignOut') {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'access-control-allow-origin': '*' })
      return res.end('{}')
    }
    const failure = target && health.failures[String(target).split('.').pop()]
    if (failure) {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': failure })
      return res.end(JSON.stringify({ __type: failure, message: `${failure} (injected by the test proxy)` }))
    }
    const body = await readBody(req)
    const srpAnswer = target && await srp.answer(target, body)
    if (srpAnswer) {
      res.writeHead(srpAnswer.status, srpAnswer.headers)
      return res.end(srpAnswer.body)
    }
    const rewritten = rewrite(target, body)
    const headers = { ...req.headers, 'content-length': String(rewritten.body.length) }
    if (target) headers['x-amz-target'] = rewritten.target
    const upstream = httpRequest({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers)
      up.pipe(res)
    })
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    upstream.end(rewritten.body)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })
}

/** Calls a Cognito user-pool operation (JSON 1.1 protocol); the emulator does not check request signatures. */
export async function cognitoCall(url, operation, input) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(input),
  })
  const body = await res.json()
  if (!res.ok) throw Object.assign(new Error(`${operation}: ${body.message ?? body.__type}`), { name: body.__type ?? 'Error' })
  return body
}

async function ensurePool(url, name) {
  const { UserPools = [] } = await cognitoCall(url, 'ListUserPools', { MaxResults: 60 })
  const found = UserPools.find(p => p.Name === name)
  if (found) return found.Id
  const { UserPool } = await cognitoCall(url, 'CreateUserPool', { PoolName: name })
  return UserPool.Id
}

async function ensureClient(url, userPoolId, name, { tokenValiditySeconds, callbackUrls }) {
  const { UserPoolClients = [] } = await cognitoCall(url, 'ListUserPoolClients', { UserPoolId: userPoolId, MaxResults: 60 })
  const found = UserPoolClients.find(c => c.ClientName === name)
  if (found) return found.ClientId
  const { UserPoolClient } = await cognitoCall(url, 'CreateUserPoolClient', {
    UserPoolId: userPoolId,
    ClientName: name,
    GenerateSecret: false,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
    ...(tokenValiditySeconds && {
      AccessTokenValidity: tokenValiditySeconds,
      IdTokenValidity: tokenValiditySeconds,
      TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' },
    }),
    ...(callbackUrls && { CallbackURLs: callbackUrls, AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid', 'email', 'profile'] }),
  })
  return UserPoolClient.ClientId
}

/**
 * Starts cognito-local and the proxy on free loopback ports and seeds one pool with one client.
 * State lives in `dir` (reused between runs, so seeding is idempotent).
 * @param {{ dir: string, poolName?: string, clientName?: string, emailUsernames?: boolean,
 *   tokenValiditySeconds?: number, callbackUrls?: string[], debug?: boolean }} options
 */
export async function startCognito({ dir, poolName = 'nuxt-amplify-ssr', clientName = 'web', emailUsernames = true, tokenValiditySeconds, callbackUrls, debug = false }) {
  const [emulatorPort, proxyPort] = [await freePort(), await freePort()]
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`
  const endpoint = `http://127.0.0.1:${proxyPort}`
  mkdirSync(join(dir, '.cognito'), { recursive: true })
  // Tokens must name the proxy as issuer: it is the endpoint the app is given. Without email usernames the
  // username is what was chosen (`alice@example.com` stays that), else Cognito's `sub`.
  writeFileSync(join(dir, '.cognito', 'config.json'), JSON.stringify({
    TokenConfig: { IssuerDomain: endpoint },
    ...(!emailUsernames && { UserPoolDefaults: { UsernameAttributes: [] } }),
  }))

  const child = spawn(process.execPath, [require.resolve('cognito-local/lib/bin/start.js')], {
    cwd: dir,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(emulatorPort), ...(debug && { DEBUG: '1' }) },
    stdio: debug ? 'inherit' : 'ignore',
  })
  const counts = {}
  const health = { up: true, status: 0, failures: {} }
  let proxy
  try {
    await waitForHealth(emulatorUrl, child)
    proxy = await startProxy(proxyPort, emulatorPort, { counts, health, srp: createSrpFront({ dir, emulatorUrl }) })
  }
  catch (error) {
    child.kill()
    throw error
  }

  const userPoolId = await ensurePool(emulatorUrl, poolName)
  const userPoolClientId = await ensureClient(emulatorUrl, userPoolId, clientName, { tokenValiditySeconds, callbackUrls })

  return {
    endpoint,
    emulatorUrl,
    region: REGION,
    userPoolId,
    userPoolClientId,
    issuer: `${endpoint}/${userPoolId}`,
    jwksUri: `${endpoint}/${userPoolId}/.well-known/jwks.json`,
    /**
     * Requests seen by the proxy, by Cognito operation (`InitiateAuth`, `GetUser`…), `jwks` and `total`;
     * also served as JSON at `<endpoint>/__counts` (DELETE resets).
     */
    counts,
    /**
     * Simulates Cognito being unreachable (`false`: connections drop; with `status`, every request, the JWKS
     * included, gets that HTTP status) or back (`true`).
     */
    setAvailable(up, { status = 0 } = {}) {
      Object.assign(health, { up, status })
    },
    /** Answers `operation` (`GetTokensFromRefreshToken`…) with a Cognito error of type `errorType`, until cleared with `undefined`. */
    failOperation(operation, errorType) {
      if (errorType) health.failures[operation] = errorType
      else delete health.failures[operation]
    },
    resetCounts() {
      for (const key of Object.keys(counts)) delete counts[key]
    },
    /** Creates a confirmed user (username and email `email`) with a permanent password, unless it exists. */
    async ensureUser(email, password, attributes = {}) {
      const exists = await cognitoCall(emulatorUrl, 'AdminGetUser', { UserPoolId: userPoolId, Username: email })
        .then(() => true, (error) => {
          if (error.name === 'UserNotFoundException') return false
          throw error
        })
      if (exists) return
      await cognitoCall(emulatorUrl, 'AdminCreateUser', {
        UserPoolId: userPoolId,
        Username: email,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
          ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        ],
      })
      await cognitoCall(emulatorUrl, 'AdminSetUserPassword', { UserPoolId: userPoolId, Username: email, Password: password, Permanent: true })
    },
    /** Calls an operation on the emulator itself, past the proxy (not counted). */
    admin: (operation, input) => cognitoCall(emulatorUrl, operation, { UserPoolId: userPoolId, ...input }),
    /** Stops the emulator (SIGTERM, then SIGKILL after 2 s) and the proxy; bounded, never hangs. */
    async stop() {
      const exited = child.exitCode === null ? new Promise(resolve => child.once('exit', resolve)) : Promise.resolve()
      const within = (promise, ms) => Promise.race([promise.then(() => true), new Promise(r => setTimeout(() => r(false), ms).unref())])
      child.kill('SIGTERM')
      if (!(await within(exited, 2000))) {
        child.kill('SIGKILL')
        await within(exited, 2000)
      }
      proxy.closeAllConnections()
      await within(new Promise(resolve => proxy.close(() => resolve())), 2000)
    },
  }
}

/** Signs a user in with USER_PASSWORD_AUTH through the proxy and returns the raw tokens. */
export async function signIn(backend, username, password) {
  const { AuthenticationResult } = await cognitoCall(backend.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: backend.userPoolClientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
  return AuthenticationResult
}

const encodeName = name => encodeURIComponent(name).replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent).replace(/[()]/g, escape)

/**
 * The cookies Amplify's browser client (`ssr: true`, js-cookie) writes after a sign-in, as a Cookie header.
 * Written here independently of the module, so that tests check the module against the browser's format.
 * `signInDetails` (what `signIn` also stores, e.g. `{ loginId, authFlowType }`) is added when given.
 */
export function browserCookies(clientId, tokens, username = JSON.parse(Buffer.from(tokens.AccessToken.split('.')[1], 'base64url')).username, { signInDetails } = {}) {
  const prefix = `CognitoIdentityServiceProvider.${clientId}`
  const jar = {
    [`${prefix}.LastAuthUser`]: username,
    [`${prefix}.${username}.accessToken`]: tokens.AccessToken,
    [`${prefix}.${username}.idToken`]: tokens.IdToken,
    [`${prefix}.${username}.clockDrift`]: '0',
    ...(tokens.RefreshToken && { [`${prefix}.${username}.refreshToken`]: tokens.RefreshToken }),
    ...(signInDetails && { [`${prefix}.${username}.signInDetails`]: JSON.stringify(signInDetails) }),
  }
  return Object.entries(jar).map(([k, v]) => `${encodeName(k)}=${encodeURIComponent(v)}`).join('; ')
}

/** The same token as the emulator issued, re-signed by the emulator's own static key, expired a minute ago. */
export async function expiredCopy(token) {
  const { jwk } = require('cognito-local/lib/keys/cognitoLocal.private.json')
  const now = Math.floor(Date.now() / 1000)
  const claims = { ...decodeJwt(token), iat: now - 3660, exp: now - 60 }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal', typ: 'JWT' })
    .sign(await importJWK(jwk, 'RS256'))
}
