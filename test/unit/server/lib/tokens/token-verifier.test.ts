import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT, exportJWK, generateKeyPair } from 'jose'
import { createTokenVerifier, knownTokenPair, verifyTokenPair } from '../../../../../src/runtime/server/lib/tokens/token-verifier'

const clientId = 'client1'
let keys: Awaited<ReturnType<typeof generateKeyPair>>
let jwksServer: ReturnType<typeof createServer>
let issuer: string

beforeAll(async () => {
  keys = await generateKeyPair('RS256')
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  jwksServer = createServer((_, res) => res.end(JSON.stringify({ keys: [jwk] })))
  await new Promise<void>(resolve => jwksServer.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/local_pool`
})
afterAll(() => new Promise<void>(resolve => jwksServer.close(() => resolve())))

function token(claims: Record<string, unknown>, sub = 'user-1') {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setSubject(sub)
    .setIssuedAt().setExpirationTime('1h').sign(keys.privateKey)
}
const accessToken = (sub?: string) => token({ token_use: 'access', client_id: clientId }, sub)
const idToken = (sub?: string) => token({ token_use: 'id', aud: clientId }, sub)
const verifierFor = () => createTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId })

describe('verdicts known without waiting', () => {
  it('are unknown until a token was checked once, then the same as the checked pair', async () => {
    const verifier = verifierFor()
    const [access, id] = await Promise.all([accessToken(), idToken()])
    expect(knownTokenPair(verifier, access, id)).toBeNull()
    const checked = await verifyTokenPair(verifier, access, id)
    expect(checked?.access.sub).toBe('user-1')
    expect(knownTokenPair(verifier, access, id)).toEqual(checked)
    // Another token of the same length and signature tail is not the remembered one.
    expect(knownTokenPair(verifier, `x${access.slice(1)}`, id)).toBeNull()
  })

  it('refuse a pair of two users, and a forged token, as the waiting check does', async () => {
    const verifier = verifierFor()
    const [access, otherId] = await Promise.all([accessToken('user-1'), idToken('user-2')])
    await verifyTokenPair(verifier, access, otherId)
    expect(knownTokenPair(verifier, access, otherId)).toBeUndefined()

    const id = await idToken('user-1')
    const forged = `${access.slice(0, access.lastIndexOf('.'))}.${'A'.repeat(342)}`
    expect(await verifyTokenPair(verifier, forged, id)).toBeUndefined()
    expect(knownTokenPair(verifier, forged, id)).toBeUndefined()
  })

  it('are never an outage: keys that cannot be fetched leave the token unknown', async () => {
    const verifier = createTokenVerifier({ issuer, jwksUri: 'http://127.0.0.1:9/nothing-listens-here', clientId })
    const [access, id] = await Promise.all([accessToken(), idToken()])
    await expect(verifyTokenPair(verifier, access, id)).rejects.toThrow(/signing keys/)
    expect(knownTokenPair(verifier, access, id)).toBeNull()
  })
})
