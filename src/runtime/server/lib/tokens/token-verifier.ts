import { errors, jwtVerify } from 'jose'
import { cognitoServiceUrl } from '../../../shared/config'
import { BROWSER_COOKIE_LIMIT } from '../../../shared/cookies'
import { BoundedMap } from '../cache/bounded-map'
import { signingKeys } from './signing-keys'
import type { JSONWebKeySet, JWTPayload } from 'jose'

export type TokenUse = 'access' | 'id'

/** `valid` and `expired` both mean: signed by the pool's key, for this client, of the expected use. */
export type TokenVerdict = { status: 'valid' | 'expired', payload: JWTPayload } | { status: 'invalid' }

export interface TokenVerifierOptions {
  issuer: string
  jwksUri: string
  clientId: string
  /** The pool's keys given in the config (`amplify.tokens.jwks`): then nothing is fetched to check a signature. */
  jwks?: JSONWebKeySet
}

/** Thrown when the keys cannot be fetched: the session is unknown, not invalid. */
export class AuthServiceUnavailableError extends Error {
  override name = 'AuthServiceUnavailableError'
}

// What a token itself can be blamed for; any other failure (the JWKS answered 503, or garbage) is an outage.
const TOKEN_FAULTS = [
  errors.JWSSignatureVerificationFailed,
  errors.JWSInvalid,
  errors.JWTInvalid,
  errors.JWTClaimValidationFailed,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
]

const MAX_CACHED_TOKENS = 10_000

/** Cognito's issuer for a pool: the custom endpoint's when one is set (emulators), else the AWS one. */
export function defaultIssuer(userPoolId: string, region: string | undefined, userPoolEndpoint?: string): string {
  if (userPoolEndpoint) return `${userPoolEndpoint.replace(/\/+$/, '')}/${userPoolId}`
  return `${cognitoServiceUrl(region)}/${userPoolId}`
}

/** 30 bits of a token's last 6 characters: of its signature, for a JWT, which differs for every token signed. */
function tokenKey(token: string): number {
  let key = 0
  for (let i = Math.max(0, token.length - 6); i < token.length; i++) key = (key << 5) ^ token.charCodeAt(i)
  return key & 0x3FFFFFFF
}

function claimsMatch(payload: JWTPayload, use: TokenUse, clientId: string): boolean {
  if (payload.token_use !== use) return false
  return use === 'access' ? payload.client_id === clientId : payload.aud === clientId
}

/**
 * Verifies Cognito JWTs against the pool's JWKS (fetched once, then cached by jose) and remembers each verdict
 * by token, so that a session costs one signature check per token rather than one per request.
 */
export function createTokenVerifier({ issuer, jwksUri, clientId, jwks: givenKeys }: TokenVerifierOptions) {
  const jwks = signingKeys(jwksUri, givenKeys)
  // Keyed by a number made of the signature's tail, confirmed by the whole token: hashing a fresh 1 KB cookie value
  // (or even a 43-character slice of it) for every lookup costs more than the rest of the lookup. Two tokens of one
  // key take turns in the map: each is verified again when the other took its place. One map per token use.
  type Entry = { token: string, verdict: Promise<TokenVerdict>, settled?: TokenVerdict }
  const accessVerdicts = new BoundedMap<number, Entry>(MAX_CACHED_TOKENS)
  const idVerdicts = new BoundedMap<number, Entry>(MAX_CACHED_TOKENS)
  const verdictsOf = (use: TokenUse) => (use === 'access' ? accessVerdicts : idVerdicts)

  async function check(token: string, use: TokenUse): Promise<TokenVerdict> {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256'] })
      return claimsMatch(payload, use, clientId) ? { status: 'valid', payload } : { status: 'invalid' }
    }
    catch (error) {
      // jose reports expiry only after the signature and issuer checks passed.
      if (error instanceof errors.JWTExpired) {
        return claimsMatch(error.payload, use, clientId) ? { status: 'expired', payload: error.payload } : { status: 'invalid' }
      }
      if (TOKEN_FAULTS.some(fault => error instanceof fault)) return { status: 'invalid' }
      throw new AuthServiceUnavailableError(`Cannot fetch the user pool's signing keys from ${jwksUri}`, { cause: error })
    }
  }

  function remembered(token: string, use: TokenUse): Entry | undefined {
    const known = verdictsOf(use).get(tokenKey(token))
    return known?.token === token ? known : undefined
  }

  return {
    issuer,
    jwksUri,
    verify(token: string, use: TokenUse): Promise<TokenVerdict> {
      const known = remembered(token, use)
      if (known) return known.verdict
      const verdict = check(token, use)
      // A "token" longer than a browser keeps in a cookie never came from a real session: not worth remembering.
      if (token.length > BROWSER_COOKIE_LIMIT) return verdict
      const cache = verdictsOf(use)
      const key = tokenKey(token)
      const entry: Entry = { token, verdict }
      cache.set(key, entry)
      // An outage is not a verdict: forget it so that the next request tries again.
      verdict.then(settled => (entry.settled = settled), () => cache.get(key) === entry && cache.delete(key))
      return verdict
    },
    /** The verdict on a token already checked, without waiting: what nearly every request of a session needs. */
    known(token: string, use: TokenUse): TokenVerdict | undefined {
      return remembered(token, use)?.settled
    },
  }
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>

/** Someone's genuine id token next to one's own access token is not a session: both must name one user (`sub`). */
export function sameUser(access: JWTPayload, id: JWTPayload): boolean {
  return access.sub === id.sub
}

/** Both tokens valid now and of the same user. */
function samePair(access: TokenVerdict, id: TokenVerdict) {
  if (access.status !== 'valid' || id.status !== 'valid' || !sameUser(access.payload, id.payload)) return undefined
  return { access: access.payload, id: id.payload }
}

export type TokenPair = ReturnType<typeof samePair>

/** The claims of an access and an id token that are both valid now and of the same user, or undefined. */
export async function verifyTokenPair(verifier: TokenVerifier, accessToken: string, idToken: string): Promise<TokenPair> {
  return samePair(...await Promise.all([verifier.verify(accessToken, 'access'), verifier.verify(idToken, 'id')]))
}

/** `verifyTokenPair` without waiting when both verdicts are known; `null` when one is not. */
export function knownTokenPair(verifier: TokenVerifier, accessToken: string, idToken: string): TokenPair | null {
  const access = verifier.known(accessToken, 'access')
  const id = access && verifier.known(idToken, 'id')
  return id ? samePair(access, id) : null
}
