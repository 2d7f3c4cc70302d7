import { createLocalJWKSet, createRemoteJWKSet, errors } from 'jose'
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose'

/**
 * Where token signatures are checked against: the keys given in the config, with no network at start (a serverless
 * cold start pays no JWKS round trip), else the pool's JWKS fetched on first use. A token signed with a key that the
 * given set lacks (Cognito rotated its keys after the build) is checked against the fetched JWKS.
 */
export function signingKeys(jwksUri: string, given?: JSONWebKeySet): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(jwksUri))
  if (!given?.keys.length) return remote
  const local = createLocalJWKSet(given)
  return async (header, token) => {
    try {
      return await local(header, token)
    }
    catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) return remote(header, token)
      throw error
    }
  }
}
