// The README's first command, as a new user runs it: `npm run dev` in this checkout (CI runs it on the fresh clone,
// before anything else has touched the tree), then the pages a person opens first, over HTTP. Once without and once
// with `AMPLIFY_SERVER_AUTH=1`. Prints one line per check (✔/✘) and exits non-zero when one fails.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { browserCookies, cognitoCall, freePort } from '../test/backends/cognito.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const START_TIMEOUT_MS = 240_000
const REQUEST_TIMEOUT_MS = 60_000

const results = []
function check(name, ok, detail = '') {
  results.push(ok)
  console.log(`  ${ok ? '\u2714' : '\u2718'} ${name}${ok || !detail ? '' : `: ${detail}`}`)
  return ok
}

/** `npm run dev` in its own process group, so that stopping it stops nuxi and the emulator too. */
function startDev(env) {
  const child = spawn('npm', ['run', 'dev'], { cwd: root, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const collect = (chunk) => {
    output += chunk
    process.stdout.write(chunk)
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const exited = new Promise(resolve => child.on('exit', resolve))
  return {
    output: () => output,
    exited,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM')
      }
      catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL')
        }
        catch { /* gone */ }
      }, 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

const request = (url, init = {}) => fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init })

/** Waits for the demo user on the console and for the first answer of the dev server (the first page compiles). */
async function waitForPlayground(dev, base) {
  const deadline = Date.now() + START_TIMEOUT_MS
  let exitCode
  dev.exited.then(code => (exitCode = code ?? 'signal'))
  while (Date.now() < deadline && exitCode === undefined) {
    const demo = /Demo user:\s+(\S+)\s+Password:\s+(\S+)/.exec(dev.output())
    if (demo) {
      const res = await request(`${base}/`).catch(() => undefined)
      if (res && res.status !== 503) return { username: demo[1], password: demo[2], first: res }
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  throw new Error(exitCode === undefined ? `no answer within ${START_TIMEOUT_MS / 1000} s` : `npm run dev exited (${exitCode})`)
}

const errorPage = html => /Vite Error|"statusCode":\s*5\d\d|<title>5\d\d|Internal Server Error/i.test(html)

/** The playground's first pages, signed out and then signed in as the printed demo user. */
async function smoke({ label, env, signInWith }) {
  const port = await freePort()
  const base = `http://localhost:${port}`
  console.log(`\n${label}: PORT=${port} ${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}npm run dev`)
  const dev = startDev({ ...env, PORT: String(port) })
  try {
    const { username, password, first } = await waitForPlayground(dev, base)
    const home = await first.text()
    check(`${label}: / 200, no error page`, first.status === 200 && !errorPage(home), `${first.status} ${home.slice(0, 200)}`)
    const login = await request(`${base}/login`)
    const loginHtml = await login.text()
    check(`${label}: /login 200`, login.status === 200 && !errorPage(loginHtml), `${login.status}`)
    const guest = await request(`${base}/profile`)
    check(`${label}: /profile signed out redirects to /login`, guest.status === 302 && guest.headers.get('location')?.startsWith('/login'), `${guest.status} ${guest.headers.get('location')}`)

    const cookie = await signInWith({ base, username, password, output: dev.output() }).catch((error) => {
      check(`${label}: sign in ${username}`, false, error.message)
    })
    if (!cookie) return
    check(`${label}: sign in ${username}`, true)
    const profile = await request(`${base}/profile`, { headers: { cookie } })
    const profileHtml = await profile.text()
    check(`${label}: /profile 200 with the user rendered on the server`, profile.status === 200 && profileHtml.includes(username), `${profile.status}`)
    const api = await request(`${base}/api/profile`, { headers: { cookie } })
    const body = await api.json().catch(() => undefined)
    check(`${label}: /api/profile 200 JSON`, api.status === 200 && body?.attributes?.email === username, `${api.status} ${JSON.stringify(body)?.slice(0, 200)}`)
    // Gen2 data against the local AppSync serving playground/amplify/data/resource.ts: a todo made through a route is
    // the user's own and is in the SSR HTML of /todos.
    const content = `smoke todo ${Date.now()}`
    const created = await request(`${base}/api/todos`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'origin': base },
      body: JSON.stringify({ content }),
    })
    check(`${label}: POST /api/todos 200 (Gen2 data)`, created.status === 200, `${created.status} ${(await created.text()).slice(0, 200)}`)
    const todos = await request(`${base}/todos`, { headers: { cookie } })
    const todosHtml = await todos.text()
    check(`${label}: /todos 200 with the user's todo rendered on the server`, todos.status === 200 && todosHtml.includes(content) && !errorPage(todosHtml), `${todos.status}`)
  }
  catch (error) {
    check(`${label}: the playground starts`, false, error.message)
  }
  finally {
    await dev.stop()
  }
}

/** As Amplify's browser client does it: the emulator's tokens, kept in the cookies the browser writes. */
async function signInInBrowserFormat({ username, password, output }) {
  const outputs = JSON.parse(readFileSync(`${root}playground/amplify_outputs.json`, 'utf8'))
  const endpoint = /Local Cognito emulator:\s+(\S+)/.exec(output)?.[1]
  if (!endpoint) throw new Error('npm run dev did not print the emulator\'s endpoint')
  const { AuthenticationResult } = await cognitoCall(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: outputs.auth.user_pool_client_id,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
  return browserCookies(outputs.auth.user_pool_client_id, AuthenticationResult)
}

/** With `serverAuth`: the module's own sign-in route, which answers with HttpOnly cookies. */
async function signInOnServer({ base, username, password }) {
  const res = await request(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': base },
    body: JSON.stringify({ username, password }),
  })
  if (res.status !== 200) throw new Error(`POST /api/auth/sign-in: ${res.status} ${await res.text()}`)
  return res.headers.getSetCookie().map(header => header.split(';')[0]).join('; ')
}

const hardStop = setTimeout(() => {
  console.log('  \u2718 dev smoke test: over its time limit')
  process.exit(1)
}, 2 * (START_TIMEOUT_MS + 6 * REQUEST_TIMEOUT_MS))
hardStop.unref()

await smoke({ label: 'npm run dev', env: {}, signInWith: signInInBrowserFormat })
await smoke({ label: 'AMPLIFY_SERVER_AUTH=1 npm run dev', env: { AMPLIFY_SERVER_AUTH: '1' }, signInWith: signInOnServer })

const failed = results.filter(ok => !ok).length
console.log(`\ndev smoke: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
