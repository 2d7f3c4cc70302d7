// Helpers of the unit tests: an h3 event over a plain Node request, and a user pool's signing keys served on loopback.
import { createServer, IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Socket } from 'node:net'
import { createEvent } from 'h3'
import { afterAll, beforeAll } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import type { JWK } from 'jose'
import { createTokenVerifier } from '../../src/runtime/server/lib/tokens/token-verifier'
import type { TokenVerifier } from '../../src/runtime/server/lib/tokens/token-verifier'
import { encodeCookieName, lastAuthUserCookie, sessionCookieStem } from '../../src/runtime/shared/cookies'
import type { SessionCookieKey } from '../../src/runtime/shared/cookies'
import type { AmplifyServerSettings } from '../../src/runtime/server/lib/amplify/server-settings'

/** An h3 event for a request that carries `cookie`, to the given host. */
export function eventWith(cookie: string, host = 'app.example.com') {
  const req = new IncomingMessage(new Socket())
  req.headers = { cookie, host }
  req.url = '/'
  return createEvent(req, new ServerResponse(req))
}

/** The `Set-Cookie` headers an event's response has so far. */
export const setCookieHeaders = (event: ReturnType<typeof eventWith>) => [event.node.res.getHeader('set-cookie') ?? []].flat() as string[]

export interface LocalPool {
  issuer: string
  clientId: string
  /** The pool's JWKS, as served, and how many times it was fetched. */
  jwks: { keys: JWK[] }
  jwksFetches(): number
  /** A token signed with the pool's key: `token_use`, `client_id`/`aud` and `sub` as Cognito sets them. */
  accessToken(sub?: string, expiresIn?: string | number): Promise<string>
  idToken(sub?: string, expiresIn?: string | number, claims?: Record<string, unknown>): Promise<string>
  close(): Promise<void>
}

/** A user pool's RS256 key with its JWKS served on a loopback port, for tests that verify real signatures. */
export async function startLocalPool(clientId = 'client1'): Promise<LocalPool> {
  const keys = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  let fetches = 0
  const server = createServer((_, res) => {
    fetches++
    res.end(JSON.stringify({ keys: [jwk] }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/local_pool`
  const sign = (claims: Record<string, unknown>, sub: string, expiresIn: string | number) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setSubject(sub)
      .setIssuedAt().setExpirationTime(expiresIn).sign(keys.privateKey)
  return {
    issuer,
    clientId,
    jwks: { keys: [jwk] },
    jwksFetches: () => fetches,
    accessToken: (sub = 'user-1', expiresIn = '1h') =>
      sign({ token_use: 'access', client_id: clientId, username: `${sub}-name` }, sub, expiresIn),
    idToken: (sub = 'user-1', expiresIn = '1h', claims = {}) =>
      sign({ 'token_use': 'id', 'aud': clientId, 'cognito:username': `${sub}-name`, ...claims }, sub, expiresIn),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  }
}

/** A browser's Cookie header for a session of `username`, as Amplify's browser client writes it (names encoded). */
export function sessionCookieHeader(clientId: string, username: string, cookies: Partial<Record<SessionCookieKey, string>>): string {
  const entries: [string, string][] = [[lastAuthUserCookie(clientId), username]]
  for (const [key, value] of Object.entries(cookies)) entries.push([sessionCookieStem(clientId, username) + key, value])
  return entries.map(([name, value]) => `${encodeCookieName(name)}=${encodeURIComponent(value)}`).join('; ')
}

/** A local pool for the tests of one file, and a verifier of its tokens: started before them, closed after. */
export function useLocalPool(): { pool: LocalPool, verifier: TokenVerifier } {
  const local = {} as { pool: LocalPool, verifier: TokenVerifier }
  beforeAll(async () => {
    local.pool = await startLocalPool()
    const { issuer, clientId } = local.pool
    local.verifier = createTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId })
  })
  afterAll(() => local.pool.close())
  return local
}

/** The module's server settings for a local pool: its client, default cookies and auth, a verifier of its tokens. */
export function localPoolSettings(pool: LocalPool, { jwksUri = `${pool.issuer}/.well-known/jwks.json`, cacheControl = 'private, no-store' } = {}): AmplifyServerSettings {
  return {
    resources: { Auth: { Cognito: { userPoolId: 'local_pool', userPoolClientId: pool.clientId } } },
    clientId: pool.clientId,
    cookies: { path: '/', sameSite: 'lax' },
    auth: { loginPath: '/login', homePath: '/', redirectQueryKey: 'redirect', global: false },
    cacheControl,
    verifier: createTokenVerifier({ issuer: pool.issuer, jwksUri, clientId: pool.clientId }),
  }
}
