// The playground as `AMPLIFY_SERVER_AUTH=1 npm run dev` serves it, in Chromium. The tokens are HttpOnly, so Amplify's
// browser client has no session: every action of the pages must still work (through the playground's server
// routes) and none may fail silently.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { freePort } from '../backends/cognito.mjs'
import { launchChromium, openContext } from '../support/browser'
import type { TrackedContext } from '../support/browser'

const root = fileURLToPath(new URL('../..', import.meta.url))
const START_TIMEOUT_MS = 170_000

let dev: ChildProcess
let output = ''
let base: string
let browser: Browser
let session: TrackedContext
let demo: { username: string, password: string }

/** Stops `npm run dev`'s process group: nuxi, the emulator and the local services. */
function stopDev() {
  if (!dev?.pid || dev.exitCode !== null) return Promise.resolve()
  const exited = new Promise(resolve => dev.once('exit', resolve))
  try {
    process.kill(-dev.pid, 'SIGTERM')
  }
  catch { /* gone */ }
  return Promise.race([exited, new Promise(resolve => setTimeout(resolve, 10_000))])
}

beforeAll(async () => {
  const port = await freePort()
  base = `http://localhost:${port}`
  dev = spawn(process.execPath, ['scripts/dev.mjs'], {
    cwd: root,
    env: { ...process.env, AMPLIFY_SERVER_AUTH: '1', PORT: String(port), PATH: `${root}node_modules/.bin:${process.env.PATH}` },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  dev.stdout!.on('data', chunk => (output += chunk))
  dev.stderr!.on('data', chunk => (output += chunk))
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline && dev.exitCode === null) {
    const printed = /Demo user:\s+(\S+)\s+Password:\s+(\S+)/.exec(output)
    const status = printed && await fetch(`${base}/login`).then(res => res.status, () => 0)
    if (printed && status === 200) {
      demo = { username: printed[1]!, password: printed[2]! }
      break
    }
    await new Promise(resolve => setTimeout(resolve, 1000))
  }
  if (!demo) throw new Error(`the playground did not start:\n${output.slice(-3000)}`)
  browser = await launchChromium()
  session = await openContext(browser, base)
  session.context.setDefaultTimeout(60_000)
}, START_TIMEOUT_MS + 20_000)

afterAll(async () => {
  await session?.close()
  await browser?.close()
  await stopDev()
})

/** Nuxt has mounted the app (client navigation and handlers work from here). */
const mounted = (page: Page) => page.waitForFunction(() => !!(document.getElementById('__nuxt') as { __vue_app__?: unknown } | null)?.__vue_app__)

async function navigate(page: Page, label: string, path: string) {
  await page.getByRole('link', { name: label, exact: true }).click()
  await page.waitForURL(url => url.pathname === path)
}

// Errors the page would otherwise only print in the console (Amplify's "No federated jwt", a 403 from S3…).
const consoleErrors = () => session.messages.filter(line => /^(?:error|pageerror):/.test(line) && !/favicon/.test(line))

describe('playground with serverAuth (HttpOnly tokens) in Chromium', () => {
  it('signs the demo user in on the server and shows the email, not the user id', { timeout: 120_000 }, async () => {
    const { page } = session
    await page.goto('/login')
    await mounted(page)
    await page.fill('input[name="email"]', demo.username)
    await page.fill('input[name="password"]', demo.password)
    await page.click('button[type="submit"]')
    await page.waitForURL(url => url.pathname === '/')
    await expect.poll(() => page.getByTestId('nav-user').textContent()).toBe(demo.username)
    const cookies = (await session.context.cookies()).filter(cookie => cookie.name.endsWith('.accessToken'))
    expect(cookies.map(cookie => cookie.httpOnly)).toEqual([true])
  })

  it('adds and deletes a note from the browser through the server routes', { timeout: 120_000 }, async () => {
    const { page } = session
    await navigate(page, 'Notes', '/notes')
    const text = `from the browser ${Date.now()}`
    await page.fill('input[name="text"]', text)
    await page.getByRole('button', { name: 'Add' }).click()
    const item = page.getByTestId('notes').locator('li', { hasText: text })
    await item.waitFor()
    await item.getByRole('button', { name: 'Delete' }).click()
    await item.waitFor({ state: 'detached' })
    expect(await page.getByTestId('error').count()).toBe(0)
  })

  it('uploads, reads and deletes a private file from the browser through the server routes', { timeout: 120_000 }, async () => {
    const { page } = session
    await navigate(page, 'Files', '/files')
    // Listed in the browser after client navigation: the public seed file, through GET /api/files.
    await page.getByTestId('files-public').getByText('public/welcome.txt').waitFor()
    const text = `private text ${Date.now()}`
    await page.fill('textarea[name="text"]', text)
    await page.selectOption('select[name="folder"]', 'private')
    await page.getByRole('button', { name: 'Upload' }).click()
    const item = page.getByTestId('files-private').locator('li', { hasText: 'note-' })
    await item.waitFor()
    await item.getByRole('link').click()
    await expect.poll(() => page.getByTestId('preview').textContent()).toBe(text)
    await item.getByRole('button', { name: 'Delete' }).click()
    await item.waitFor({ state: 'detached' })
    expect(await page.getByTestId('error').count()).toBe(0)
  })

  it('posts to the REST API from the browser as the signed-in user, not as a guest', { timeout: 120_000 }, async () => {
    const { page } = session
    await navigate(page, 'Echo', '/echo')
    await page.getByTestId('post').click()
    const echo = JSON.parse((await page.getByTestId('posted').textContent())!)
    expect(echo).toMatchObject({ method: 'POST', path: '/public/messages', caller: { auth: 'iam', authenticated: true } })
    expect(await page.getByTestId('error').count()).toBe(0)
  })

  it('printed no error in the browser console along the way, nor Amplify\'s custom-endpoint warning', () => {
    expect(consoleErrors()).toEqual([])
    expect(session.messages.filter(line => line.includes('You are using a custom Amazon'))).toEqual([])
  })
})

describe('playground with serverAuth: the Hosted UI', () => {
  it('says in words why a Hosted UI sign-in failed', { timeout: 60_000 }, async () => {
    const other = await openContext(browser, base)
    try {
      await other.page.goto('/login?error=state_mismatch')
      expect(await other.page.getByTestId('error').textContent()).toMatch(/did not match this browser's sign-in/)
      await other.page.goto('/login?error=something_new')
      expect(await other.page.getByTestId('error').textContent()).toMatch(/The sign-in failed \(something_new\)/)
    }
    finally {
      await other.close()
    }
  })

  it('shows the email after a Hosted UI sign-in, whose username is the user id', { timeout: 120_000 }, async () => {
    const other = await openContext(browser, base)
    other.context.setDefaultTimeout(60_000)
    try {
      const { page } = other
      await page.goto('/login')
      await mounted(page)
      await page.getByTestId('hosted-ui').click()
      await page.fill('input[name="username"]', demo.username)
      await page.fill('input[name="password"]', demo.password)
      await page.locator('form').evaluate(form => (form as HTMLFormElement).submit())
      await page.waitForURL(url => url.origin === base && url.pathname === '/')
      await expect.poll(() => page.getByTestId('nav-user').textContent()).toBe(demo.username)
      expect(await page.getByTestId('display-name').textContent()).toBe(demo.username)
      await page.goto('/profile')
      expect(await page.getByTestId('display-name').textContent()).toBe(demo.username)
      const username = await page.getByTestId('username').textContent()
      expect(username).toBe(await page.getByTestId('user-id').textContent())
      expect(username).not.toBe(demo.username)
    }
    finally {
      await other.close()
    }
  })
})
