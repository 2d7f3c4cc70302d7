// cognito-local signs every token with one static key: holding it, a test can mint what the emulator would issue.
export { expiredCopy } from '../backends/cognito.mjs'

/** `Set-Cookie` headers of a response, by cookie name. */
export function setCookies(res: Response): Map<string, string> {
  return new Map(res.headers.getSetCookie().map(header => [header.slice(0, header.indexOf('=')), header]))
}
