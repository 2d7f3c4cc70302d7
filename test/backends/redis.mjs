// A real Redis (Debian's `redis-server`) for the session-store tests: on a free loopback port, its data in `dir`
// (saved on stop, so that a stopped and restarted Redis still has its sessions), stopped by its own pid.
import { spawn } from 'node:child_process'
import { connect } from 'node:net'
import { freePort } from './cognito.mjs'

const REDIS_SERVER = process.env.REDIS_SERVER || 'redis-server'

/** Whether Redis answers `PING` on `port` within `ms`. */
function pings(port, ms = 500) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(ms, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', data => done(String(data).startsWith('+PONG')))
  })
}

const within = (promise, ms) => Promise.race([promise.then(() => true), new Promise(r => setTimeout(() => r(false), ms).unref())])

/**
 * Starts `redis-server` on a free loopback port. `stop()` shuts it down (saving its data), `start()` brings it back
 * on the same port with that data: an outage in the middle of a run, as a restarted Redis would have it.
 * @param {{ dir: string }} options
 */
export async function startRedis({ dir }) {
  const port = await freePort()
  let child
  let output = ''

  async function start() {
    output = ''
    child = spawn(REDIS_SERVER, [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', 'sessions.rdb',
      '--save', '3600 1', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning',
    ], { stdio: ['ignore', 'pipe', 'pipe'] })
    const collect = (chunk) => {
      output += chunk
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    const spawnError = new Promise((_, reject) => child.once('error', reject))
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}: ${output}`)
      if (await Promise.race([pings(port), spawnError])) return
      await new Promise(r => setTimeout(r, 100))
    }
    await stop()
    throw new Error(`redis-server did not answer on port ${port} within 10 s: ${output}`)
  }

  /** SIGTERM (Redis saves, then exits), then SIGKILL after 5 s; bounded, never hangs. */
  async function stop() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill('SIGTERM')
    if (!(await within(exited, 5000))) {
      child.kill('SIGKILL')
      await within(exited, 2000)
    }
  }

  await start()
  return { port, url: `redis://127.0.0.1:${port}`, start, stop }
}
