// Runs a Lambda handler bundle in a plain Node process (see lambda-runner.mjs) and invokes it with events.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface LambdaResult {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded: boolean
  cookies?: string[]
  multiValueHeaders?: Record<string, string[]>
}

export interface LambdaFunction {
  invoke: (event: object) => Promise<LambdaResult>
  stop: () => Promise<void>
}

type Message = { ready?: true, id?: number, result?: LambdaResult, error?: string }

/** Loads `entry` (its module exports `handler`) with `env` as the function's environment. */
export async function startLambda(entry: string, env: Record<string, string>): Promise<LambdaFunction> {
  const child = fork(fileURLToPath(new URL('./lambda-runner.mjs', import.meta.url)), [entry], {
    env: { ...process.env, ...env, NODE_ENV: 'production' },
    execArgv: [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => {
    stderr += chunk
  })
  const pending = new Map<number, { resolve: (r: LambdaResult) => void, reject: (e: Error) => void }>()
  let nextId = 0
  child.on('exit', (code) => {
    for (const call of pending.values()) call.reject(new Error(`Lambda runner exited (${code}) during an invocation:\n${stderr}`))
    pending.clear()
  })
  await new Promise<void>((resolve, reject) => {
    child.once('exit', code => reject(new Error(`Lambda runner exited (${code}):\n${stderr}`)))
    child.on('message', (message: Message) => {
      if (message.ready) return resolve()
      const call = pending.get(message.id!)
      pending.delete(message.id!)
      if (message.error) call?.reject(new Error(message.error))
      else call?.resolve(message.result!)
    })
  })
  return {
    invoke: event => new Promise((resolve, reject) => {
      const id = nextId++
      pending.set(id, { resolve, reject })
      child.send({ id, event })
    }),
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      child.kill()
      await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))])
    },
  }
}
