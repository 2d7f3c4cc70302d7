/** A request's value computed on first use: without a promise when nothing had to wait for it. */
export interface ComputedOnce<T> {
  /** The value's promise; made only when asked for, the value having been known at once. */
  get(): Promise<T>
  /** The value, or `undefined` while it is still pending or when it failed (`get()` says why). */
  now(): T | undefined
}

/**
 * `compute` run once, on first use. A signed-in request of a session whose tokens were verified before needs no
 * waiting at all: its answer is kept as is, and the promises and microtask hops of async code are not paid for it.
 */
export function computeOnce<T>(compute: () => T | Promise<T>): ComputedOnce<T> {
  let known: { value: T } | undefined
  let pending: Promise<T> | undefined
  const start = () => {
    if (known || pending) return
    let result: T | Promise<T>
    try {
      result = compute()
    }
    catch (error) {
      result = Promise.reject(error)
    }
    if (result instanceof Promise) {
      pending = result.then((value) => {
        known = { value }
        return value
      })
      // Whoever asks with `get()` gets the failure; a caller of `now()` alone must not crash the process with it.
      pending.catch(() => {})
    }
    else known = { value: result }
  }
  return {
    get() {
      start()
      return (pending ??= Promise.resolve(known!.value))
    },
    now() {
      start()
      return known?.value
    },
  }
}
