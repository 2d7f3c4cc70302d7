// A production server started by the test itself (a second worker, Amplify Hosting's compute entry), on a free
// loopback port, stopped by its own pid.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { freePort } from '../../backends/cognito.mjs'

export interface ServerProcess {
  port: number
  url: string
  logs: () => string
  stop: () => Promise<void>
}

async function waitForHttp(url: string, child: ChildProcess, logs: () => string) {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Server exited with code ${child.exitCode}:\n${logs()}`)
    try {
      await fetch(url, { redirect: 'manual' })
      return
    }
    catch { /* not listening yet */ }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`Server did not answer at ${url} within 20 s:\n${logs()}`)
}

/** `node [...nodeArgs] entry` with PORT/HOST on a free loopback port and `env`; resolves once it answers HTTP. */
export async function startServerProcess(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<ServerProcess> {
  const port = await freePort()
  const output: string[] = []
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NITRO_HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', chunk => output.push(String(chunk)))
  child.stderr!.on('data', chunk => output.push(String(chunk)))
  const logs = () => output.join('')
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill()
    await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 3000))])
  }
  try {
    await waitForHttp(url, child, logs)
  }
  catch (error) {
    await stop()
    throw error
  }
  return { port, url, logs, stop }
}
