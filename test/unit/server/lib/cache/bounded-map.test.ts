import { describe, expect, it } from 'vitest'
import { BoundedMap } from '../../../../../src/runtime/server/lib/cache/bounded-map'
import { memoize } from '../../../../../src/runtime/server/lib/cache/memoize'

describe('BoundedMap', () => {
  it('keeps the newest `max` entries: setting a key again makes it the newest', () => {
    const map = new BoundedMap<string, number>(2)
    map.set('a', 1).set('b', 2).set('a', 3).set('c', 4)
    expect([...map]).toEqual([['a', 3], ['c', 4]])
  })
})

describe('memoize', () => {
  it('computes each key once while it is remembered, and remembers at most `max` keys', () => {
    let calls = 0
    const length = memoize((key) => {
      calls++
      return key.length
    }, 2)
    expect([length('a'), length('bb'), length('a')]).toEqual([1, 2, 1])
    expect(calls).toBe(2)
    length('ccc')
    length('bb')
    expect(calls).toBe(3)
    length('a')
    expect(calls).toBe(4)
  })
})
