// Users, tokens and cookie jars for the reliability suites: real sign-ins through the emulator, and a jar that
// behaves like a browser's (Set-Cookie replaces, Max-Age=0 removes).
import { createRequire } from 'node:module'
import { SignJWT, decodeJwt, decodeProtectedHeader, importJWK } from 'jose'
import type { JWTPayload } from 'jose'
import { browserCookies, signIn } from '../../backends/cognito.mjs'

const require = createRequire(import.meta.url)

export type Backend = Awaited<ReturnType<typeof import('../../backends/cognito.mjs').startCognito>>

export interface Tokens { AccessToken: string, IdToken: string, RefreshToken?: string }

export interface TestUser {
  username: string
  password: string
  /** Cognito's `sub`, the `userId` the module reports. */
  sub: string
  tokens: Tokens
}

/** `count` confirmed users named `<prefix>-NN@example.com`, each signed in for real (USER_PASSWORD_AUTH). */
export async function createUsers(backend: Backend, count: number, prefix: string): Promise<TestUser[]> {
  const users: TestUser[] = []
  for (let i = 0; i < count; i++) {
    const username = `${prefix}-${String(i).padStart(2, '0')}@example.com`
    const password = `Pw-${prefix}-${i}!a1`
    await backend.ensureUser(username, password)
    const tokens = await signIn(backend, username, password) as Tokens
    users.push({ username, password, sub: String(decodeJwt(tokens.AccessToken).sub), tokens })
  }
  return users
}

/** The Cookie header Amplify's browser client would send for `tokens` stored under `username`. */
export const cookieHeader = (clientId: string, tokens: Tokens, username?: string): string =>
  browserCookies(clientId, tokens, username)

/**
 * The emulator's signing key, shipped with cognito-local. Real Cognito keeps its key secret; here it lets a test
 * make tokens that are correctly signed but expired, which no client setting can produce on demand.
 */
async function emulatorKey() {
  const { jwk } = require('cognito-local/lib/keys/cognitoLocal.private.json') as { jwk: Record<string, string> }
  return importJWK(jwk, 'RS256')
}

/** Re-signs `token`'s claims (with `changes`) with the emulator's key and header. */
export async function resignWithEmulatorKey(token: string, changes: JWTPayload): Promise<string> {
  const header = decodeProtectedHeader(token) as { alg: string, kid?: string }
  return new SignJWT({ ...decodeJwt(token), ...changes }).setProtectedHeader(header).sign(await emulatorKey())
}

/** The same session with access and id tokens that expired an hour ago, correctly signed; the refresh token kept. */
export async function expiredTokens(tokens: Tokens, keepRefresh = true): Promise<Tokens> {
  const now = Math.floor(Date.now() / 1000)
  const times = { iat: now - 7200, auth_time: now - 7200, exp: now - 3600 }
  return {
    AccessToken: await resignWithEmulatorKey(tokens.AccessToken, times),
    IdToken: await resignWithEmulatorKey(tokens.IdToken, times),
    ...(keepRefresh && tokens.RefreshToken && { RefreshToken: tokens.RefreshToken }),
  }
}

/** A browser-like cookie jar for one origin (names and values kept as they travel on the wire). */
export class CookieJar {
  readonly cookies = new Map<string, string>()

  constructor(header = '') {
    for (const pair of header.split(/;\s*/).filter(Boolean)) {
      const eq = pair.indexOf('=')
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Applies Set-Cookie lines; returns the names written (removals included). */
  apply(setCookies: readonly string[]): string[] {
    const written: string[] = []
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(/;\s*/)
      const eq = pair!.indexOf('=')
      const name = pair!.slice(0, eq)
      const value = pair!.slice(eq + 1)
      const removed = attributes.some(a => /^max-age=(?:0|-\d+)$/i.test(a))
        || attributes.some(a => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now())
      if (removed || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
      written.push(name)
    }
    return written
  }
}

/** The `username` claim of a JWT, or undefined when it is not one. */
export function tokenUsername(token: string): string | undefined {
  try {
    const claims = decodeJwt(decodeURIComponent(token))
    return String(claims.username ?? claims['cognito:username'])
  }
  catch {
    return undefined
  }
}
