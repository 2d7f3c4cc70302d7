import { describe, expect, it } from 'vitest'
import { decideAccess, isAmplifyAuthRule } from '../../../src/runtime/shared/access-rule'

const admin = { groups: ['admin', 'staff'] }
const member = { groups: [] }

describe('decideAccess', () => {
  it('lets anyone in without a rule or with false', () => {
    for (const rule of [undefined, false]) {
      expect(decideAccess(rule, null)).toBe('allowed')
      expect(decideAccess(rule, member)).toBe('allowed')
    }
  })

  it('true: signed-in users', () => {
    expect(decideAccess(true, null)).toBe('unauthenticated')
    expect(decideAccess(true, member)).toBe('allowed')
  })

  it('guest: signed-out users only', () => {
    expect(decideAccess('guest', null)).toBe('allowed')
    expect(decideAccess('guest', member)).toBe('signed-in')
  })

  it('groups: signed-in members of any of them; others 403, the signed-out 401', () => {
    expect(decideAccess({ groups: ['admin'] }, null)).toBe('unauthenticated')
    expect(decideAccess({ groups: ['admin'] }, member)).toBe('forbidden')
    expect(decideAccess({ groups: ['admin'] }, admin)).toBe('allowed')
    expect(decideAccess({ groups: ['billing', 'staff'] }, admin)).toBe('allowed')
    expect(decideAccess({ groups: ['Admin'] }, admin)).toBe('forbidden')
  })

  it('fails closed on values that are not rules', () => {
    for (const rule of [{ groups: [] }, { groups: 'admin' }, 'admin', 'yes', 1, null, { group: ['admin'] }]) {
      expect(decideAccess(rule, admin), JSON.stringify(rule)).not.toBe('allowed')
    }
  })
})

describe('isAmplifyAuthRule', () => {
  it('accepts the four forms only', () => {
    for (const rule of [true, false, 'guest', { groups: ['a'] }, { groups: [] }]) expect(isAmplifyAuthRule(rule)).toBe(true)
    for (const rule of ['yes', { groups: 'a' }, { groups: [1] }, { groups: ['a'], extra: 1 }, null, undefined, []]) {
      expect(isAmplifyAuthRule(rule), JSON.stringify(rule)).toBe(false)
    }
  })
})
