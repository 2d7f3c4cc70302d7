import { describe, expect, it, vi } from 'vitest'
import { computeOnce } from '../../../../../src/runtime/server/lib/cache/compute-once'

describe('computeOnce', () => {
  it('keeps a value computed without waiting, and gives it at once', async () => {
    const compute = vi.fn(() => ({ user: 'alice' }))
    const once = computeOnce(compute)
    const value = once.now()
    expect(value).toEqual({ user: 'alice' })
    expect(once.now()).toBe(value)
    expect(await once.get()).toBe(value)
    expect(once.get()).toBe(once.get())
    expect(compute).toHaveBeenCalledOnce()
  })

  it('keeps null as an answer, not as "pending"', () => {
    expect(computeOnce(() => null).now()).toBeNull()
  })

  it('says nothing while a value is pending, then gives it like one computed at once', async () => {
    let resolve!: (value: string) => void
    const once = computeOnce(() => new Promise<string>(r => (resolve = r)))
    expect(once.now()).toBeUndefined()
    const pending = once.get()
    resolve('bob')
    expect(await pending).toBe('bob')
    expect(once.now()).toBe('bob')
  })

  it('gives a failure to get() only, once, whether thrown or rejected, and never as an unhandled rejection', async () => {
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    try {
      const thrown = vi.fn(() => {
        throw new Error('keys unreachable')
      })
      const once = computeOnce(thrown)
      expect(once.now()).toBeUndefined()
      await expect(once.get()).rejects.toThrow('keys unreachable')
      expect(once.now()).toBeUndefined()
      expect(thrown).toHaveBeenCalledOnce()
      // Asked with now() alone: the rejection is nobody's to handle, and must not crash the process.
      computeOnce(() => Promise.reject(new Error('refresh throttled'))).now()
      await new Promise(resolve => setTimeout(resolve, 10))
      expect(unhandled).not.toHaveBeenCalled()
    }
    finally {
      process.off('unhandledRejection', unhandled)
    }
  })
})
