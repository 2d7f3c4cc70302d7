// The playground as `AMPLIFY_SERVER_AUTH=1 npm run dev` serves it, in Chromium. The tokens are HttpOnly, so Amplify's
// browser client has no session: every action of the pages must still work (through the playground's server
// routes) and none may fail silently. Then as plain `npm run dev` serves it: Amplify's default sign-in (SRP) on the
// emulator, from the login page and from Amplify UI's <Authenticator>, with no USER_PASSWORD_AUTH setting, and the
// Gen2 data pages against the local AppSync that `npm run dev` starts on the playground's schema.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
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
/** The second seeded user (`npm run dev` prints it): another owner for the data pages. */
let admin: { username: string, password: string }

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

/** `npm run dev` with `env`, until the login page answers; the demo user is read from its console. */
async function startDev(env: Record<string, string>) {
  const port = await freePort()
  base = `http://localhost:${port}`
  output = ''
  dev = spawn(process.execPath, ['scripts/dev.mjs'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), PATH: `${root}node_modules/.bin:${process.env.PATH}` },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  dev.stdout!.on('data', chunk => (output += chunk))
  dev.stderr!.on('data', chunk => (output += chunk))
  const deadline = Date.now() + START_TIMEOUT_MS
  let started: typeof demo | undefined
  while (!started && Date.now() < deadline && dev.exitCode === null) {
    const printed = /Demo user:\s+(\S+)\s+Password:\s+(\S+)/.exec(output)
    const status = printed && await fetch(`${base}/login`).then(res => res.status, () => 0)
    if (printed && status === 200) started = { username: printed[1]!, password: printed[2]! }
    else await new Promise(resolve => setTimeout(resolve, 1000))
  }
  if (!started) throw new Error(`the playground did not start:\n${output.slice(-3000)}`)
  demo = started
  const printedAdmin = /Admin user:\s+(\S+) \/ (\S+)/.exec(output)
  if (!printedAdmin) throw new Error(`npm run dev printed no second user:\n${output.slice(-3000)}`)
  admin = { username: printedAdmin[1]!, password: printedAdmin[2]! }
  session = await openContext(browser, base)
  session.context.setDefaultTimeout(60_000)
}

beforeAll(async () => {
  browser = await launchChromium()
  await startDev({ AMPLIFY_SERVER_AUTH: '1' })
}, START_TIMEOUT_MS + 20_000)

afterAll(async () => {
  await session?.close()
  await browser?.close()
  await stopDev()
})

/** Nuxt has mounted the app (client navigation and handlers work from here). */
const mounted = (page: Page) => page.waitForFunction(() => !!(document.getElementById('__nuxt') as { __vue_app__?: unknown } | null)?.__vue_app__)

/** The login page's form (password sign-in, on the server with serverAuth), back on `/`. */
async function signInOnLoginPage(page: Page, user: typeof demo) {
  await page.goto('/login')
  await mounted(page)
  await page.fill('input[name="email"]', user.username)
  await page.fill('input[name="password"]', user.password)
  await page.click('button[type="submit"]')
  await page.waitForURL(url => url.pathname === '/')
}

/** Creates a todo with the /todos page's "+ new" button, which asks for the content with `window.prompt`, as the starter does. */
async function createTodo(page: Page, content: string) {
  page.once('dialog', dialog => void dialog.accept(content))
  await page.getByTestId('new-todo').click()
  const item = page.getByTestId('todos').locator('li', { hasText: content })
  await item.waitFor()
  return item
}

async function navigate(page: Page, label: string, path: string) {
  await page.getByRole('link', { name: label, exact: true }).click()
  await page.waitForURL(url => url.pathname === path)
}

// Errors the page would otherwise only print in the console (Amplify's "No federated jwt", a 403 from S3…).
const consoleErrors = () => session.messages.filter(line => /^(?:error|pageerror):/.test(line) && !/favicon/.test(line))

describe('playground with serverAuth (HttpOnly tokens) in Chromium', () => {
  it('signs the demo user in on the server and shows the email, not the user id', { timeout: 120_000 }, async () => {
    const { page } = session
    await signInOnLoginPage(page, demo)
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

  it('adds, ticks and deletes a todo from the browser through the server routes (/api/todos)', { timeout: 120_000 }, async () => {
    const { page, context } = session
    await navigate(page, 'Todos', '/todos')
    const content = `todo via routes ${Date.now()}`
    const item = await createTodo(page, content)
    await item.getByRole('checkbox').check()
    const done = async () => ((await (await context.request.get('/api/todos')).json()).data as { content: string, done: boolean }[])
      .find(todo => todo.content === content)?.done
    await expect.poll(done).toBe(true)
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

describe('playground as plain `npm run dev`: Amplify\'s default sign-in, and <Authenticator>', () => {
  beforeAll(async () => {
    await session.close()
    await stopDev()
    await startDev({ AMPLIFY_SERVER_AUTH: '0' })
  }, START_TIMEOUT_MS + 20_000)

  const signInDetails = async (context: BrowserContext) => {
    const cookie = (await context.cookies()).find(c => c.name.startsWith('CognitoIdentityServiceProvider.') && c.name.endsWith('.signInDetails'))
    return cookie && JSON.parse(decodeURIComponent(cookie.value))
  }
  const authCookieCount = async (context: BrowserContext) => (await context.cookies()).filter(c => c.name.startsWith('CognitoIdentityServiceProvider.')).length

  it('signs the demo user in on /login with Amplify\'s signIn() and its default flow; the server renders the user', { timeout: 120_000 }, async () => {
    const { page, context } = session
    await page.goto('/profile')
    expect(new URL(page.url()).pathname).toBe('/login')
    await mounted(page)
    await page.fill('input[name="email"]', demo.username)
    await page.fill('input[name="password"]', demo.password)
    await page.click('button[type="submit"]')
    await page.waitForURL(url => url.pathname === '/profile')
    expect(await signInDetails(context)).toEqual({ loginId: demo.username, authFlowType: 'USER_SRP_AUTH' })
    const html = await (await page.reload())!.text()
    expect(html).toContain(`data-testid="display-name">${demo.username}<`)
    expect(html).toContain(`data-testid="nav-user">${demo.username}<`)

    await mounted(page)
    await page.getByTestId('sign-out').click()
    await page.waitForURL(url => url.pathname === '/')
    await expect.poll(() => authCookieCount(context), { timeout: 15_000 }).toBe(0)
  })

  it('signs the demo user in with <Authenticator>, back to the saved redirect; signs out from it', { timeout: 120_000 }, async () => {
    const { page, context } = session
    await page.goto('/profile')
    await mounted(page)
    await page.getByTestId('amplify-ui').click()
    await page.waitForURL(url => url.pathname === '/authenticator' && url.searchParams.get('redirect') === '/profile')
    await page.locator('input[name="username"]').fill(demo.username)
    await page.locator('input[name="password"]').fill(demo.password)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
    await page.waitForURL(url => url.pathname === '/profile')
    await expect.poll(() => page.getByTestId('nav-user').textContent(), { timeout: 15_000 }).toBe(demo.username)
    expect(await signInDetails(context)).toEqual({ loginId: demo.username, authFlowType: 'USER_SRP_AUTH' })
    expect(await (await page.reload())!.text()).toContain(`data-testid="display-name">${demo.username}<`)

    const html = await (await page.goto('/authenticator'))!.text()
    expect(html).toContain(`Signed in as ${demo.username}.`)
    await mounted(page)
    await page.getByTestId('authenticator-sign-out').click()
    await expect.poll(() => page.getByTestId('page-user').textContent(), { timeout: 15_000 }).toContain('Signed out.')
    expect(await authCookieCount(context)).toBe(0)
    expect((await context.request.get('/profile', { maxRedirects: 0 })).status()).toBe(302)
  })

  it('/todos: the browser client after client navigation, the user\'s own todos in the SSR HTML, none of them for another user', { timeout: 120_000 }, async () => {
    const { page } = session
    await signInOnLoginPage(page, demo)
    // Client navigation: useAsyncData runs in the browser, with Amplify's client, straight to the local AppSync.
    const fromBrowser = page.waitForRequest((req) => {
      const url = new URL(req.url())
      return req.method() === 'POST' && url.pathname === '/graphql' && url.origin !== base
    })
    await navigate(page, 'Todos', '/todos')
    await fromBrowser
    const content = `todo from the browser ${Date.now()}`
    const item = await createTodo(page, content)
    await item.getByRole('checkbox').check()
    await item.locator('span[style*="line-through"]').waitFor()

    const html = await (await page.reload())!.text()
    expect(html).toContain(`>${content}</span>`)
    await mounted(page)
    expect(await page.getByTestId('todos').locator('li', { hasText: content }).getByRole('checkbox').isChecked()).toBe(true)
    expect(await page.getByTestId('error').count()).toBe(0)

    const other = await openContext(browser, base)
    try {
      await signInOnLoginPage(other.page, admin)
      const otherHtml = await (await other.page.goto('/todos'))!.text()
      expect(otherHtml).toContain('data-testid="todos"')
      expect(otherHtml).not.toContain(content)
      const mine = `admin's own todo ${Date.now()}`
      await mounted(other.page)
      await createTodo(other.page, mine)
      expect(await (await page.reload())!.text()).not.toContain(mine)
    }
    finally {
      await other.close()
    }
  })

  it('printed no error and no hydration warning in the browser console', () => {
    expect(consoleErrors()).toEqual([])
    expect(session.messages.filter(line => /hydrat/i.test(line))).toEqual([])
  })
})
