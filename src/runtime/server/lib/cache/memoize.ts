import { BoundedMap } from './bounded-map'

/**
 * `compute`, remembered by its argument: for the few strings that come back on every request of a session (cookie
 * names, encoded cookie values). At most `max` entries, so that a client sending ever new values cannot grow it.
 */
export function memoize<T>(compute: (key: string) => T, max = 1000): (key: string) => T {
  const known = new BoundedMap<string, T>(max)
  return (key) => {
    // One lookup when remembered: hashing a fresh 100-character key is most of the cost.
    const value = known.get(key)
    if (value !== undefined || known.has(key)) return value as T
    const computed = compute(key)
    known.set(key, computed)
    return computed
  }
}
