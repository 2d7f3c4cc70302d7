import { decodeJwt } from 'jose'
import type { JWTPayload } from 'jose'
import type { TokenUse, TokenVerdict } from '../server/lib/tokens/token-verifier'
import { BROWSER_COOKIE_LIMIT, decodeCookieName, lastAuthUserCookie, sessionCookieStem } from '../shared/cookies'
import type { SessionCookieKey } from '../shared/cookies'

export interface CookieReport {
  name: string
  /** Bytes of name + value as the browser stores them. */
  size: number
  overLimit: boolean
}

export interface TokenReport {
  status: TokenVerdict['status'] | 'absent' | 'malformed'
  /** Decoded payload: never the token itself, nor its signature. */
  claims?: JWTPayload
  /** Epoch seconds. */
  expiresAt?: number
}

export interface SessionReport {
  /** Epoch seconds when the report was made, for the countdown. */
  now: number
  /** The `LastAuthUser` cookie: who the browser says is signed in (the tokens say whether that holds). */
  lastAuthUser: string | null
  tokens: { access: TokenReport, id: TokenReport, refresh: { present: boolean } }
  cookies: CookieReport[]
  /** Bytes of the whole Cookie header, Amplify's cookies and others. */
  cookieHeaderSize: number
  config: Record<string, unknown>
}

export interface SessionReportInput {
  /** The request's raw `Cookie` header. */
  cookieHeader: string
  userPoolClientId: string
  verify: (token: string, use: TokenUse) => Promise<TokenVerdict>
  /** Pools, endpoints, issuer, cookie and auth options: shown as given. */
  config: Record<string, unknown>
  now?: number
}

const AMPLIFY_COOKIE = /^(?:CognitoIdentityServiceProvider|com\.amplify)\./

function rawCookies(header: string): Map<string, { raw: string, value: string }> {
  const cookies = new Map<string, { raw: string, value: string }>()
  for (const pair of header.split(/;\s*/)) {
    const eq = pair.indexOf('=')
    if (eq < 1) continue
    const raw = pair.slice(0, eq).trim()
    const value = pair.slice(eq + 1).trim()
    let decoded = value
    try {
      decoded = decodeURIComponent(value)
    }
    catch { /* kept as sent */ }
    cookies.set(decodeCookieName(raw), { raw: `${raw}=${value}`, value: decoded })
  }
  return cookies
}

async function tokenReport(token: string | undefined, use: TokenUse, verify: SessionReportInput['verify']): Promise<TokenReport> {
  if (!token) return { status: 'absent' }
  let claims: JWTPayload
  try {
    claims = decodeJwt(token)
  }
  catch {
    return { status: 'malformed' }
  }
  const { status } = await verify(token, use)
  // Verdicts are remembered per token: a token that verified earlier may have expired since.
  const expired = status === 'valid' && claims.exp !== undefined && claims.exp * 1000 <= Date.now()
  return { status: expired ? 'expired' : status, claims, expiresAt: claims.exp }
}

/**
 * What the DevTools tab shows for one request: the session as the server sees it (decoded claims and the
 * verifier's verdict, never a raw token), Amplify's cookies measured against the browser limit, and the config.
 */
export async function buildSessionReport(input: SessionReportInput): Promise<SessionReport> {
  const cookies = rawCookies(input.cookieHeader)
  const lastAuthUser = cookies.get(lastAuthUserCookie(input.userPoolClientId))?.value ?? null
  const token = (key: SessionCookieKey) =>
    (lastAuthUser ? cookies.get(sessionCookieStem(input.userPoolClientId, lastAuthUser) + key)?.value : undefined)
  const [access, id] = await Promise.all([
    tokenReport(token('accessToken'), 'access', input.verify),
    tokenReport(token('idToken'), 'id', input.verify),
  ])
  return {
    now: input.now ?? Math.floor(Date.now() / 1000),
    lastAuthUser,
    tokens: { access, id, refresh: { present: Boolean(token('refreshToken')) } },
    cookies: [...cookies]
      .filter(([name]) => AMPLIFY_COOKIE.test(name))
      .map(([name, { raw }]) => {
        const size = Buffer.byteLength(raw) - 1 // the `=` is not counted
        return { name, size, overLimit: size > BROWSER_COOKIE_LIMIT }
      }),
    cookieHeaderSize: Buffer.byteLength(input.cookieHeader),
    config: input.config,
  }
}
