import { describe, expect, it } from 'vitest'
import { createStorageValidator, identified } from '../../../../../src/runtime/server/lib/tokens/storage-validator'
import { useLocalPool } from '../../../../support/unit'

const local = useLocalPool()

const key = (name: string) => `CognitoIdentityServiceProvider.${local.pool.clientId}.alice.${name}`

describe('the validator of Amplify\'s cookie storage', () => {
  it('lets Amplify read a genuine session, expired tokens included (Amplify refreshes those)', async () => {
    const validator = createStorageValidator(local.verifier)
    expect(await validator.getItem(key('accessToken'), await local.pool.accessToken('alice', '-1m'))).toBe(true)
    expect(await validator.getItem(key('idToken'), await local.pool.idToken('alice'))).toBe(true)
    expect(await validator.getItem(key('refreshToken'), 'opaque')).toBe(true)
    expect(await validator.getItem(`CognitoIdentityServiceProvider.${local.pool.clientId}.LastAuthUser`, 'alice')).toBe(true)
  })

  it('hides forged and foreign tokens, and the browser\'s clock offset', async () => {
    const validator = createStorageValidator(local.verifier)
    const forged = (await local.pool.accessToken('alice')).replace(/\.[^.]+$/, `.${'A'.repeat(342)}`)
    expect(await validator.getItem(key('accessToken'), forged)).toBe(false)
    // An id token in the access token's place is of the wrong use.
    expect(await validator.getItem(key('accessToken'), await local.pool.idToken('alice'))).toBe(false)
    expect(await validator.getItem(key('clockDrift'), '-999999999')).toBe(false)
  })

  it('accepts an id token only of the access token\'s user', async () => {
    const validator = createStorageValidator(local.verifier)
    // Before any access token: no user to match.
    expect(await validator.getItem(key('idToken'), await local.pool.idToken('alice'))).toBe(false)
    expect(await validator.getItem(key('accessToken'), await local.pool.accessToken('alice'))).toBe(true)
    expect(await validator.getItem(key('idToken'), await local.pool.idToken('mallory'))).toBe(false)
    expect(await validator.getItem(key('idToken'), await local.pool.idToken('alice'))).toBe(true)
  })
})

describe('identified', () => {
  it('names nobody when Amplify found no verified id token', () => {
    expect(identified({ username: 'alice', userId: 'sub-1' })).toEqual({ username: 'alice', userId: 'sub-1' })
    expect(identified({ username: '', userId: 'sub-1' })).toBeNull()
    expect(identified({ username: 'alice', userId: '' })).toBeNull()
  })
})
