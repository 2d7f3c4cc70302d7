// Peer H's validator: what `@aws-amplify/adapter-nextjs` passes to the cookie storage (`createTokenValidator` and
// `isValidCognitoToken`): aws-jwt-verify on every access and id token, expired-but-signed accepted so that refresh can
// run, anything else false. Two changes to run here: upstream makes a `CognitoJwtVerifier` per call (so nothing is
// cached between requests) and that class only accepts `<region>_<id>` pools on AWS's issuer, which the local
// emulator has not; this is one `JwtRsaVerifier` per process with the same checks (issuer, RS256 signature, expiry,
// `token_use`, the client id in `client_id` or `aud`) and its JWKS cached.
import { JwtRsaVerifier } from 'aws-jwt-verify'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'
import { JwtExpiredError } from 'aws-jwt-verify/error'
import type { KeyValueStorageMethodValidator } from 'aws-amplify/adapter-core'

interface AdapterValidatorOptions {
  issuer: string
  jwksUri: string
  clientId: string
  /** The keys themselves, for runs with no network (bench/instructions/). */
  jwks?: { keys: object[] }
}

export function createAdapterValidator({ issuer, jwksUri, clientId, jwks }: AdapterValidatorOptions): KeyValueStorageMethodValidator {
  // aws-jwt-verify's own fetcher speaks https only; the emulator is plain http.
  const fetcher = { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() }
  // One cache for both token uses: the pool's keys are fetched once per process.
  const jwksCache = new SimpleJwksCache({ fetcher })
  const verifierOf = (tokenUse: 'access' | 'id') => {
    const verifier = JwtRsaVerifier.create({
      issuer,
      jwksUri,
      audience: null,
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== tokenUse) throw new Error(`not an ${tokenUse} token`)
        if ((tokenUse === 'access' ? payload.client_id : payload.aud) !== clientId) throw new Error('another client\'s token')
      },
    }, { jwksCache })
    if (jwks) verifier.cacheJwks(jwks as Parameters<typeof verifier.cacheJwks>[0])
    return verifier
  }
  const verifiers = { access: verifierOf('access'), id: verifierOf('id') }
  return {
    getItem: async (key: string, value: string): Promise<boolean> => {
      const tokenType = key.includes('.accessToken') ? 'access' : key.includes('.idToken') ? 'id' : null
      if (!tokenType) return true
      try {
        await verifiers[tokenType].verify(value)
        return true
      }
      catch (error) {
        return error instanceof JwtExpiredError
      }
    },
  }
}
