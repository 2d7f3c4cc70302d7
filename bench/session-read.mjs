// The module's own work on a signed-in request, without HTTP around it: the request's cookie jar and the session read
// (`readSession`), on a fresh copy of a browser's ~3 KB Cookie header each time, once the tokens' verdicts are
// known. Prints one line: `session read: N µs per request`. Run by `npm run bench`, or alone.
import { createServer } from 'node:http'
import { createJiti } from 'jiti'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'

const jiti = createJiti(import.meta.url)
const lib = new URL('../src/runtime/server/lib/', import.meta.url)
const { createCookieJar } = await jiti.import(new URL('session/cookie-jar.ts', lib).href)
const { readSession } = await jiti.import(new URL('session/read-session.ts', lib).href)
const { createTokenVerifier } = await jiti.import(new URL('tokens/token-verifier.ts', lib).href)
const { encodeCookieName } = await jiti.import(new URL('../../shared/cookies.ts', lib).href)

const { publicKey, privateKey } = await generateKeyPair('RS256')
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' }
const keys = createServer((_, res) => res.end(JSON.stringify({ keys: [jwk] })))
await new Promise(resolve => keys.listen(0, '127.0.0.1', resolve))
try {
  const issuer = `http://127.0.0.1:${keys.address().port}/local_bench`
  const clientId = '5xqfcxpas39chvlkwlj99i0ki'
  const username = 'bench@example.com'
  const sign = claims => new SignJWT({ ...claims, padding: 'x'.repeat(500) }).setProtectedHeader({ alg: 'RS256', kid: 'bench' })
    .setIssuer(issuer).setSubject('0b9d6c3e-5d0a-4c57-9d53-6f4b0a6b2f11').setIssuedAt().setExpirationTime('1h').sign(privateKey)
  const prefix = `CognitoIdentityServiceProvider.${clientId}`
  const cookies = {
    [`${prefix}.LastAuthUser`]: username,
    [`${prefix}.${username}.accessToken`]: await sign({ token_use: 'access', client_id: clientId, username }),
    [`${prefix}.${username}.idToken`]: await sign({ 'token_use': 'id', 'aud': clientId, 'cognito:username': username }),
    [`${prefix}.${username}.refreshToken`]: 'r'.repeat(700),
    [`${prefix}.${username}.clockDrift`]: '0',
    [`${prefix}.${username}.signInDetails`]: JSON.stringify({ loginId: username, authFlowType: 'USER_SRP_AUTH' }),
  }
  const header = Object.entries(cookies).map(([name, value]) => `${encodeCookieName(name)}=${encodeURIComponent(value)}`).join('; ')
  // A request's header is a string of its own: copies, so that nothing is cached on one string object.
  const headers = Array.from({ length: 4096 }, () => Buffer.from(header, 'latin1').toString('latin1'))
  const verifier = createTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId })
  const options = { path: '/', sameSite: 'lax' }
  let next = 0
  const readOnce = () => readSession(createCookieJar({ node: { req: { headers: { cookie: headers[next++ & 4095] } }, res: {} }, context: {} }, options), clientId, verifier)

  const first = await readOnce()
  if (first?.user?.username !== username) throw new Error('the session was not read as signed in')
  const N = 50_000
  const rounds = []
  for (let round = 0; round < 11; round++) {
    const started = process.hrtime.bigint()
    for (let i = 0; i < N; i++) await readOnce()
    rounds.push(Number(process.hrtime.bigint() - started) / N / 1000)
  }
  const median = rounds.sort((a, b) => a - b)[rounds.length >> 1]
  console.log(`session read: ${median.toFixed(2)} µs per request`)
}
finally {
  keys.close()
}
