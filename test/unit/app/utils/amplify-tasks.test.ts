import { describe, expect, it, vi } from 'vitest'
import { runOperation, runTransferTask } from '../../../../src/runtime/app/utils/amplify-tasks'
import type { AmplifyRunner } from '../../../../src/runtime/app/utils/amplify-tasks'

const ctx = { token: { value: Symbol('ctx') } } as never
/** A runner that starts the operation only after a tick, as a context that refreshes first would. */
const lateRunner: AmplifyRunner = async (operation) => {
  await new Promise(resolve => setTimeout(resolve, 5))
  return operation(ctx)
}

describe('runOperation (REST on the server)', () => {
  it('returns { response, cancel } at once and resolves with the call\'s response', async () => {
    const start = vi.fn(() => ({ response: Promise.resolve('body'), cancel: vi.fn() }))
    const operation = runOperation(lateRunner, start)
    expect(start).not.toHaveBeenCalled()
    await expect(operation.response).resolves.toBe('body')
    expect(start).toHaveBeenCalledWith(ctx)
  })

  it('forwards a cancel made before the call started', async () => {
    const cancel = vi.fn()
    const operation = runOperation(lateRunner, () => ({ response: Promise.resolve('x'), cancel }))
    operation.cancel('stop')
    await operation.response
    expect(cancel).toHaveBeenCalledWith('stop')
  })

  it('forwards a cancel made after the call started', async () => {
    const cancel = vi.fn()
    let release!: () => void
    const operation = runOperation(async op => op(ctx), () => ({ response: new Promise<void>(r => release = r), cancel }))
    await Promise.resolve()
    operation.cancel('later')
    expect(cancel).toHaveBeenCalledWith('later')
    release()
    await operation.response
  })
})

describe('runTransferTask (uploadData on the server)', () => {
  it('reports IN_PROGRESS until the task exists, then the task\'s state', async () => {
    const task = { result: Promise.resolve({ path: 'p' }), cancel: vi.fn(), state: 'SUCCESS' }
    const transfer = runTransferTask(lateRunner, async () => task)
    expect(transfer.state).toBe('IN_PROGRESS')
    await expect(transfer.result).resolves.toEqual({ path: 'p' })
    expect(transfer.state).toBe('SUCCESS')
  })
})
