// Amplify's REST calls and uploads return an operation object at once (`{ response, cancel }`, `{ result, cancel,
// state }`) rather than a promise. On the server the call itself starts inside the request's context, which may
// be later: these wrappers return the same shape at once and forward `cancel` to the call once it exists.
import type { AmplifyServer } from 'aws-amplify/adapter-core'
import type { AmplifyRunner } from '../../types'

export type { AmplifyRunner }

interface Cancellable { cancel(message?: string): void }

function deferredCancel<T extends Cancellable>() {
  let started: T | undefined
  let cancelled: { message?: string } | undefined
  return {
    start(task: T): T {
      started = task
      if (cancelled) task.cancel(cancelled.message)
      return task
    },
    get started() {
      return started
    },
    cancel(message?: string) {
      if (started) started.cancel(message)
      else cancelled = { message }
    },
  }
}

/** A REST operation (`get`, `post`…) started in the request's context: `{ response, cancel }` as in Amplify. */
export function runOperation<R>(
  run: AmplifyRunner,
  start: (contextSpec: AmplifyServer.ContextSpec) => Cancellable & { response: Promise<R> },
) {
  const task = deferredCancel<Cancellable & { response: Promise<R> }>()
  const response = run(contextSpec => task.start(start(contextSpec)).response)
  return { response, cancel: (message?: string) => task.cancel(message) }
}

/** A transfer task (`uploadData`) started in the request's context: `{ result, cancel, state }` as in Amplify. */
export function runTransferTask<R>(
  run: AmplifyRunner,
  start: (contextSpec: AmplifyServer.ContextSpec) => Promise<Cancellable & { result: Promise<R>, state: unknown }>,
) {
  const task = deferredCancel<Cancellable & { result: Promise<R>, state: unknown }>()
  const result = run(async contextSpec => task.start(await start(contextSpec)).result)
  return {
    result,
    cancel: (message?: string) => task.cancel(message),
    get state() {
      return task.started?.state ?? 'IN_PROGRESS'
    },
  }
}

/** For APIs that exist in the browser only: say so, and name what to use on the server. */
export function browserOnly(name: string, onServer: string): never {
  throw new Error(`[nuxt-amplify-ssr] useAmplify().${name}() runs in the browser only. ${onServer}`)
}
