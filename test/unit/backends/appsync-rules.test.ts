// The local AppSync's filter semantics (DynamoDB's) and auth-rule decisions (the Gen2 transformer's), on their own:
// the e2e test drives them through Amplify's client, these pin the edge cases that client tests rarely reach.
import { describe, expect, it } from 'vitest'
import { grant, owns } from '../../backends/appsync/auth.mjs'
import { matchesFilter } from '../../backends/appsync/filter.mjs'

describe('filters', () => {
  const item = { content: 'Buy milk', done: false, count: 3, tags: ['a', 'b'] }

  it('compares as DynamoDB does: one type at a time, absent attributes match only `ne` and `notContains`', () => {
    expect(matchesFilter(item, { count: { gt: 2, le: 3 } })).toBe(true)
    expect(matchesFilter(item, { count: { gt: '2' } })).toBe(false)
    expect(matchesFilter(item, { priority: { ne: 'HIGH' } })).toBe(true)
    expect(matchesFilter(item, { priority: { eq: 'HIGH' } })).toBe(false)
    expect(matchesFilter(item, { priority: { notContains: 'H' } })).toBe(true)
    expect(matchesFilter(item, { priority: { attributeExists: false }, content: { attributeExists: true } })).toBe(true)
  })

  it('handles strings, lists, between, size and attribute types', () => {
    expect(matchesFilter(item, { content: { beginsWith: 'Buy', contains: 'milk' } })).toBe(true)
    expect(matchesFilter(item, { tags: { contains: 'b' } })).toBe(true)
    expect(matchesFilter(item, { count: { between: [1, 3] } })).toBe(true)
    expect(matchesFilter(item, { content: { size: { eq: 8 } } })).toBe(true)
    expect(matchesFilter(item, { done: { attributeType: 'BOOL' }, tags: { attributeType: 'L' } })).toBe(true)
  })

  it('combines with and, or and not; null operands and an absent filter match everything', () => {
    expect(matchesFilter(item, { or: [{ count: { eq: 1 } }, { done: { eq: false } }] })).toBe(true)
    expect(matchesFilter(item, { and: [{ count: { eq: 3 } }, { not: { done: { eq: false } } }] })).toBe(false)
    expect(matchesFilter(item, { count: { eq: null } })).toBe(true)
    expect(matchesFilter(item, undefined)).toBe(true)
  })
})

describe('auth rules', () => {
  const claims = { sub: 'sub-1', username: 'alice' }
  const alice = { authMode: 'userPool', claims }
  const guest = { authMode: 'iam', iam: { authenticated: false } }
  const signedInIam = { authMode: 'iam', iam: { authenticated: true } }
  const apiKey = { authMode: 'apiKey' }
  const notice = [
    { allow: 'public', provider: 'identityPool', operations: ['read'] },
    { allow: 'public', provider: 'apiKey', operations: ['read'] },
    { allow: 'private', operations: ['create', 'update', 'delete', 'read'] },
  ]

  it('grants public identity-pool rules to guests only, and per operation', () => {
    expect(grant(notice, 'read', guest)).toEqual({ all: true })
    expect(grant(notice, 'read', signedInIam)).toEqual({ none: true })
    expect(grant(notice, 'create', guest)).toEqual({ none: true })
    expect(grant(notice, 'read', apiKey)).toEqual({ all: true })
    expect(grant(notice, 'delete', apiKey)).toEqual({ none: true })
    expect(grant(notice, 'update', alice)).toEqual({ all: true })
    expect(grant([{ allow: 'private', provider: 'iam' }], 'read', signedInIam)).toEqual({ all: true })
    // `allow.custom()` comes without a provider: it is the Lambda authorizer's.
    expect(grant([{ allow: 'custom', operations: ['read'] }], 'read', { authMode: 'lambda' })).toEqual({ all: true })
    expect(grant([{ allow: 'custom', operations: ['read'] }], 'read', alice)).toEqual({ none: true })
  })

  it('limits owner rules to records naming the caller as `<sub>::<username>`, `sub` or `username`', () => {
    const access = grant([{ allow: 'owner', ownerField: 'owner', identityClaim: 'cognito:username' }], 'read', alice)
    expect(access).toEqual({ owners: [{ field: 'owner', claims: ['sub-1::alice', 'sub-1', 'alice'] }] })
    const { owners } = access as { owners: Parameters<typeof owns>[1] }
    expect(owns({ owner: 'sub-1::alice' }, owners)).toBe(true)
    expect(owns({ owner: 'alice' }, owners)).toBe(true)
    expect(owns({ owner: 'sub-2::bob' }, owners)).toBe(false)
    expect(owns(undefined, owners)).toBe(false)
    expect(grant([{ allow: 'owner', ownerField: 'owner' }], 'read', apiKey)).toEqual({ none: true })
  })

  it('grants static groups to members only', () => {
    const admins = [{ allow: 'groups', groups: ['admin'], groupClaim: 'cognito:groups' }]
    expect(grant(admins, 'delete', { authMode: 'userPool', claims: { ...claims, 'cognito:groups': ['admin'] } })).toEqual({ all: true })
    expect(grant(admins, 'delete', alice)).toEqual({ none: true })
  })
})
