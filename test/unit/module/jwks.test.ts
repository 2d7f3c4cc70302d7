import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTimeJwksUri, resolveJwks } from '../../../src/config'
import { startLocalPool } from '../../support/unit'
import type { LocalPool } from '../../support/unit'

let pool: LocalPool
beforeAll(async () => {
  pool = await startLocalPool()
})
afterAll(() => pool.close())

describe('tokens.jwks', () => {
  it('is no keys when not set, and the given keys when given inline', async () => {
    expect(await resolveJwks(undefined, () => 'unused')).toEqual({ keys: [] })
    expect(await resolveJwks(pool.jwks, () => 'unused')).toEqual(pool.jwks)
    expect(pool.jwksFetches()).toBe(0)
  })

  it('refuses what is not a JWKS, with a message that says what is expected', async () => {
    for (const wrong of [{}, { keys: 'k1' }, { keys: [{ kid: 'k1' }] }, 'ok'] as never[]) {
      await expect(resolveJwks(wrong, () => 'unused')).rejects.toThrow(/tokens\.jwks must be a JWKS/)
    }
  })

  it('\'build\' fetches the keys once, from the URL the server would use', async () => {
    const before = pool.jwksFetches()
    expect(await resolveJwks('build', () => `${pool.issuer}/.well-known/jwks.json`)).toEqual(pool.jwks)
    expect(pool.jwksFetches()).toBe(before + 1)
  })

  it('\'build\' fails the build, naming the URL, when the keys cannot be fetched', async () => {
    await expect(resolveJwks('build', () => 'http://127.0.0.1:9/jwks.json')).rejects.toThrow(/could not fetch the signing keys from http:\/\/127\.0\.0\.1:9\/jwks\.json/)
  })

  it('is fetched from jwksUri, else the issuer, else the pool\'s own issuer', () => {
    const resources = { Auth: { Cognito: { userPoolId: 'eu-west-1_abc', userPoolClientId: 'c' } } }
    expect(buildTimeJwksUri({ jwksUri: 'https://keys.example/jwks.json', issuer: 'https://x' }, resources, undefined)).toBe('https://keys.example/jwks.json')
    expect(buildTimeJwksUri({ issuer: 'https://issuer.example/p' }, resources, undefined)).toBe('https://issuer.example/p/.well-known/jwks.json')
    expect(buildTimeJwksUri({}, resources, undefined)).toBe('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json')
    const emulated = { Auth: { Cognito: { userPoolId: 'local_abc', userPoolClientId: 'c', userPoolEndpoint: 'http://127.0.0.1:9229/' } } }
    expect(buildTimeJwksUri({}, emulated, undefined)).toBe('http://127.0.0.1:9229/local_abc/.well-known/jwks.json')
  })
})
