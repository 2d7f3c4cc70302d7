import { createRequire } from 'node:module'
import { SignJWT, decodeJwt, importJWK } from 'jose'

const require = createRequire(import.meta.url)
// cognito-local signs every token with this static key: holding it, a test can mint what the emulator would issue.
const { jwk } = require('cognito-local/lib/keys/cognitoLocal.private.json')

/** The same token as the emulator issued, re-signed by the emulator's key, expired a minute ago. */
export async function expiredCopy(token: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000)
  const claims = { ...decodeJwt(token), iat: now - 3660, exp: now - 60 }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal', typ: 'JWT' })
    .sign(await importJWK(jwk, 'RS256'))
}

/** `Set-Cookie` headers of a response, by cookie name. */
export function setCookies(res: Response): Map<string, string> {
  return new Map(res.headers.getSetCookie().map(header => [header.slice(0, header.indexOf('=')), header]))
}
