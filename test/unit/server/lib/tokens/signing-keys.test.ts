import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportJWK, generateKeyPair } from 'jose'
import { createTokenVerifier, verifyTokenPair } from '../../../../../src/runtime/server/lib/tokens/token-verifier'
import { startLocalPool } from '../../../../support/unit'
import type { LocalPool } from '../../../../support/unit'

let pool: LocalPool
beforeAll(async () => {
  pool = await startLocalPool()
})
afterAll(() => pool.close())

const verifierWith = (jwks?: { keys: object[] }) =>
  createTokenVerifier({ issuer: pool.issuer, jwksUri: `${pool.issuer}/.well-known/jwks.json`, clientId: pool.clientId, jwks: jwks as never })

describe('signing keys given in the config (tokens.jwks)', () => {
  it('verify a session with no request for the keys', async () => {
    const before = pool.jwksFetches()
    const pair = await verifyTokenPair(verifierWith(pool.jwks), await pool.accessToken(), await pool.idToken())
    expect(pair?.access.sub).toBe('user-1')
    expect(pool.jwksFetches()).toBe(before)
  })

  it('still refuse a forged signature', async () => {
    const access = await pool.accessToken()
    const forged = `${access.slice(0, access.lastIndexOf('.'))}.${'A'.repeat(342)}`
    expect(await verifyTokenPair(verifierWith(pool.jwks), forged, await pool.idToken())).toBeUndefined()
  })

  it('fall back to the fetched JWKS for a key they lack (the pool rotated its keys after the build)', async () => {
    const { publicKey } = await generateKeyPair('RS256')
    const old = { keys: [{ ...(await exportJWK(publicKey)), kid: 'before-rotation', alg: 'RS256', use: 'sig' }] }
    const before = pool.jwksFetches()
    const pair = await verifyTokenPair(verifierWith(old), await pool.accessToken(), await pool.idToken())
    expect(pair?.id.sub).toBe('user-1')
    expect(pool.jwksFetches()).toBe(before + 1)
  })

  it('are fetched on first use when none are given', async () => {
    const before = pool.jwksFetches()
    expect(await verifyTokenPair(verifierWith({ keys: [] }), await pool.accessToken(), await pool.idToken())).toBeDefined()
    expect(pool.jwksFetches()).toBe(before + 1)
  })
})
