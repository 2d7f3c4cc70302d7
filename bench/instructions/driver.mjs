// One way to read a signed-in session, called in-process: `node driver.mjs <way> <read|noop> <calls> [warm]`. Each call
// gets a fresh h3 event over a real Node request carrying a browser's Cookie header; `noop` makes the same events and
// skips the read, so that `read` minus `noop` is the session read alone. WARM reads come first in both modes (the
// first verification, the JIT's first tiers). Ways: D (ours, requireAmplifyUser), G (the Amplify Nuxt guide), H (G +
// the Next.js adapter's validator), I (nuxt-auth-utils' requireUserSession). No network: keys are given inline.
// Run by bench/instructions.mjs under callgrind, or alone.
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { createRequire } from 'node:module'
import { createEvent } from 'h3'
import { createJiti } from 'jiti'
import { SignJWT, importJWK } from 'jose'
import { browserCookies } from '../../test/backends/cognito.mjs'

const [way, mode, calls = '2000', warm = '2000'] = process.argv.slice(2)
const WARM = Number(warm)
const require = createRequire(import.meta.url)
const shim = new URL('runtime-shim.mjs', import.meta.url).pathname
const jiti = createJiti(import.meta.url, { alias: { 'nitropack/runtime': shim, '#imports': shim } })

// cognito-local's static key: fixed, so that every run signs the same bytes (a generated key's prime search is not).
const { jwk } = require('cognito-local/lib/keys/cognitoLocal.private.json')

const jwks = { keys: [require('cognito-local/lib/keys/cognitoLocal.public.json').jwk] }
const userPoolId = 'us-east-1_Bench0001'
const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${userPoolId}`
const clientId = '5xqfcxpas39chvlkwlj99i0ki'
// No character that the browser encodes in a cookie name: the guide's adapter reads names undecoded (an email
// username's session is not found there), and every way must read this session.
const username = 'bench-user'
const sub = '0b9d6c3e-5d0a-4c57-9d53-6f4b0a6b2f11'
const privateKey = await importJWK(jwk, 'RS256')
const now = Math.floor(Date.now() / 1000)
// Claims and sizes as the emulator issues them, an hour to live.
const sign = claims => new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
  .setIssuer(issuer).setSubject(sub).setIssuedAt(now).setExpirationTime(now + 3600).sign(privateKey)
const tokens = {
  AccessToken: await sign({ token_use: 'access', client_id: clientId, username, scope: 'aws.cognito.signin.user.admin', auth_time: now, jti: 'a'.repeat(36) }),
  IdToken: await sign({ 'token_use': 'id', 'aud': clientId, 'cognito:username': username, 'email': 'bench@example.com', 'email_verified': true, 'auth_time': now, 'jti': 'b'.repeat(36) }),
  RefreshToken: 'r'.repeat(1780),
}
const amplifyConfig = { Auth: { Cognito: { userPoolId, userPoolClientId: clientId } } }
let cookie = browserCookies(clientId, tokens, username, { signInDetails: { loginId: 'bench@example.com', authFlowType: 'USER_SRP_AUTH' } })

function eventWith(header) {
  const req = new IncomingMessage(new Socket())
  req.headers = { cookie: header }
  req.method = 'GET'
  req.url = '/api/user'
  return createEvent(req, new ServerResponse(req))
}

async function setUp() {
  if (way === 'D') {
    globalThis.__benchRuntimeConfig = {
      public: {
        amplify: {
          resources: amplifyConfig, region: '', userPoolId: '', userPoolClientId: '', identityPoolId: '', userPoolEndpoint: '', identityPoolEndpoint: '',
          cookies: { path: '/', sameSite: 'lax', httpOnly: false },
          auth: { loginPath: '/login', homePath: '/', redirectQueryKey: 'redirect', global: false, signInFlow: '', forbiddenPath: '', routeRules: {} },
        },
      },
      amplify: { tokenIssuer: '', jwksUri: '', jwks, cacheControl: 'private, no-store', serverAuth: { origin: '' } },
    }
    const { requireAmplifyUser } = await jiti.import('../../src/runtime/server/utils/amplify.ts')
    return event => requireAmplifyUser(event)
  }
  if (way === 'G' || way === 'H') {
    const { getCurrentUser } = await import('aws-amplify/auth/server')
    const { createGuideRunner } = await jiti.import('../app/server/peers/guide-recipe.ts')
    const { createAdapterValidator } = await jiti.import('../app/server/peers/adapter-validator.ts')
    const validator = way === 'H' ? createAdapterValidator({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId, jwks }) : undefined
    const run = createGuideRunner(amplifyConfig, validator)
    return event => run(event, contextSpec => getCurrentUser(contextSpec))
  }
  if (way === 'I') {
    globalThis.__benchRuntimeConfig = { session: { name: 'nuxt-session', password: 'bench-session-password-of-32-characters-at-least', cookie: { sameSite: 'lax' } } }
    const { requireUserSession, setUserSession } = await jiti.import(new URL('../../node_modules/nuxt-auth-utils/dist/runtime/server/utils/session.js', import.meta.url).href)
    const login = eventWith('')
    await setUserSession(login, { user: { username, userId: sub } })
    const sealed = [login.node.res.getHeader('set-cookie')].flat().map(String).find(c => c.startsWith('nuxt-session='))
    // The same request bytes as ours: the sealed cookie padded to our Cookie header's length.
    const own = sealed.split(';')[0]
    cookie = `${own}; bench-padding=${'x'.repeat(cookie.length - own.length - '; bench-padding='.length)}`
    return event => requireUserSession(event)
  }
  throw new Error(`unknown way ${way}: D, G, H or I`)
}

const read = await setUp()
// A request's header is a string of its own: copies, so that nothing is cached on one string object.
const headers = Array.from({ length: 4096 }, () => Buffer.from(cookie, 'latin1').toString('latin1'))
let next = 0
const check = (result) => {
  const user = result.user ?? result
  if (user.username !== username) throw new Error(`${way} did not read the session as signed in`)
}
for (let i = 0; i < WARM; i++) check(await read(eventWith(headers[next++ & 4095])))
const noop = async () => {}
const call = mode === 'read' ? read : noop
for (let i = 0; i < Number(calls); i++) await call(eventWith(headers[next++ & 4095]))
