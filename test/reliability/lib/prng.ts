/** A seeded generator (mulberry32): the same seed gives the same cases on every machine and every run. */
export function createRandom(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6D2B79F5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (max: number) => Math.floor(next() * max)
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)]!,
    /** A copy of `items` in a random order (Fisher-Yates). */
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items]
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1)
        const swapped = copy[j]!
        copy[j] = copy[i]!
        copy[i] = swapped
      }
      return copy
    },
    chance: (p: number) => next() < p,
    /** `length` characters drawn from `alphabet`. */
    string: (length: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.') =>
      Array.from({ length }, () => alphabet[int(alphabet.length)]).join(''),
  }
}

export type Random = ReturnType<typeof createRandom>
