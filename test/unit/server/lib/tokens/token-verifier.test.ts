import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenVerifier, knownTokenPair, verifyTokenPair } from '../../../../../src/runtime/server/lib/tokens/token-verifier'
import { startLocalPool } from '../../../../support/unit'
import type { LocalPool } from '../../../../support/unit'

let pool: LocalPool
beforeAll(async () => {
  pool = await startLocalPool()
})
afterAll(() => pool.close())

const accessToken = (sub?: string) => pool.accessToken(sub)
const idToken = (sub?: string) => pool.idToken(sub)
const verifierFor = () => createTokenVerifier({ issuer: pool.issuer, jwksUri: `${pool.issuer}/.well-known/jwks.json`, clientId: pool.clientId })

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

  it('keep apart two tokens of one key: neither is given the other\'s verdict', async () => {
    const verifier = verifierFor()
    const access = await accessToken()
    expect((await verifier.verify(access, 'access')).status).toBe('valid')
    // The genuine signature (so the same key in the cache) under another user's claims: a forgery.
    const [header, payload, signature] = access.split('.')
    const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'someone-else' }
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.')
    expect(await verifier.verify(forged, 'access')).toEqual({ status: 'invalid' })
    expect(verifier.known(forged, 'access')).toEqual({ status: 'invalid' })
    // The genuine token lost its place: unknown until checked again, then valid again.
    expect(verifier.known(access, 'access')).toBeUndefined()
    expect((await verifier.verify(access, 'access')).status).toBe('valid')
    expect(verifier.known(access, 'access')?.status).toBe('valid')
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
    const verifier = createTokenVerifier({ issuer: pool.issuer, jwksUri: 'http://127.0.0.1:9/nothing-listens-here', clientId: pool.clientId })
    const [access, id] = await Promise.all([accessToken(), idToken()])
    await expect(verifyTokenPair(verifier, access, id)).rejects.toThrow(/signing keys/)
    expect(knownTokenPair(verifier, access, id)).toBeNull()
  })
})
