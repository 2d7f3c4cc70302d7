import { describe, expect, it } from 'vitest'
import { isSamePath, safeRedirectPath } from '../../../src/runtime/shared/redirect'

describe('safeRedirectPath', () => {
  it.each([
    ['/profile', '/profile'],
    ['/profile?tab=1#top', '/profile?tab=1#top'],
    ['/a/../b', '/b'],
    [['/first', '/second'], '/first'],
  ])('keeps the same-site path %j', (target, expected) => {
    expect(safeRedirectPath(target, '/home')).toBe(expected)
  })

  it.each([
    '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', 'https://evil.example/',
    'javascript:alert(1)', '/\t/evil.example', '/\n/evil.example', '/\u0000', 'profile', '', undefined, null, 42,
    `/${'a'.repeat(3000)}`, '/.//evil.example', '/x/..//evil.example', '/%2e//evil.example', '/..//evil.example',
  ])('refuses %j', (target) => {
    expect(safeRedirectPath(target, '/home')).toBe('/home')
  })
})

describe('isSamePath', () => {
  it('ignores one trailing slash only', () => {
    expect(isSamePath('/login/', '/login')).toBe(true)
    expect(isSamePath('/login', '/login')).toBe(true)
    expect(isSamePath('/login2', '/login')).toBe(false)
    expect(isSamePath('/', '/')).toBe(true)
  })
})
