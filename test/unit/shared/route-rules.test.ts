import { describe, expect, it } from 'vitest'
import { createRouteMatcher, matchAmplifyRouteRule, normalizeRulePath } from '../../../src/runtime/shared/route-rules'

const rules = {
  '/admin/**': { groups: ['admin'] },
  '/admin/billing/**': { groups: ['billing'] },
  '/admin/public': false,
  '/api/private/**': true,
  '/api/items/*': true,
  '/login': 'guest' as const,
}
const match = (path: string) => matchAmplifyRouteRule(rules, path)

describe('matchAmplifyRouteRule', () => {
  it('matches globs, nested paths and the path above a **', () => {
    expect(match('/admin')).toEqual({ groups: ['admin'] })
    expect(match('/admin/users/42/edit')).toEqual({ groups: ['admin'] })
    expect(match('/api/private')).toBe(true)
    expect(match('/api/private/a/b')).toBe(true)
    expect(match('/api/items/1')).toBe(true)
    expect(match('/api/items/1/2')).toBeUndefined()
    expect(match('/administrator')).toBeUndefined()
    expect(match('/')).toBeUndefined()
  })

  it('lets the most specific pattern decide alone (no merging of groups)', () => {
    expect(match('/admin/billing/invoices')).toEqual({ groups: ['billing'] })
    expect(match('/admin/public')).toBe(false)
    expect(match('/admin/public/more')).toEqual({ groups: ['admin'] })
  })

  it('ignores trailing slashes, queries, case, doubled slashes, dot segments and percent-encoding', () => {
    for (const path of ['/admin/', '/admin?x=1', '/ADMIN/Users', '//admin', '/public/../admin', '/%61dmin/x', '/admin/./x', '/admin\\x']) {
      expect(match(path), path).toEqual({ groups: ['admin'] })
    }
    expect(match('/login/')).toBe('guest')
  })

  it('matches Nitro route patterns with parameters', () => {
    const isRoute = createRouteMatcher({ '/api/users/:id': 1, '/api/files/**:path': 2, '/api/hello': 3 })
    expect(isRoute('/api/users/7')).toBe(1)
    expect(isRoute('/api/files/a/b.txt')).toBe(2)
    expect(isRoute('/api/hello/')).toBe(3)
    expect(isRoute('/api/users')).toBeUndefined()
  })

  it('normalizes paths', () => {
    expect(normalizeRulePath('/A//b/./c/../d/?q#h')).toBe('/a/b/d')
    expect(normalizeRulePath('/%E0%A4%A')).toBe('/%e0%a4%a')
    expect(normalizeRulePath('')).toBe('/')
  })
})
