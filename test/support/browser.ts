// Real-browser helpers: Debian's chromium driven by playwright-core (Playwright's own browser download is not used).
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core'
import { freePort } from '../backends/cognito.mjs'

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/** One browser per test file; each test opens its own context (its own cookie jar). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

export interface TrackedContext {
  context: BrowserContext
  page: Page
  /** Every console message and uncaught page error, as `type: text`, since the context opened. */
  messages: string[]
  /** Console lines that speak of hydration (Vue's mismatch warnings and its final "contains mismatches" error). */
  hydrationMessages: () => string[]
  close: () => Promise<void>
}

/** A fresh context and page whose console output is collected. */
export async function openContext(browser: Browser, baseURL: string): Promise<TrackedContext> {
  const context = await browser.newContext({ baseURL })
  // Fail within the test's own timeout rather than Playwright's 30 s.
  context.setDefaultTimeout(10_000)
  const messages: string[] = []
  context.on('console', (message: ConsoleMessage) => messages.push(`${message.type()}: ${message.text()}`))
  context.on('weberror', error => messages.push(`pageerror: ${error.error().message}`))
  const page = await context.newPage()
  return {
    context,
    page,
    messages,
    hydrationMessages: () => messages.filter(line => /hydrat/i.test(line)),
    close: () => context.close(),
  }
}

/** Waits until Nuxt has hydrated the page and run its first effects (the fixture apps set this mark). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 10_000 })
}

/** Navigates with a full page load and returns the HTML the server sent (the SSR render, before hydration). */
export async function loadPage(page: Page, path: string): Promise<string> {
  const response = await page.goto(path)
  if (!response) throw new Error(`No response for ${path}`)
  await hydrated(page)
  return response.text()
}

/** Reloads and returns the HTML the server sent for the reload. */
export async function reloadPage(page: Page): Promise<string> {
  const response = await page.reload()
  if (!response) throw new Error('No response for the reload')
  await hydrated(page)
  return response.text()
}

/** Fills the fixture's login form and waits for the navigation that follows a successful sign-in. */
export async function signInWithForm(page: Page, user: { username: string, password: string }, expectedPath: string | RegExp) {
  await page.fill('input[name="email"]', user.username)
  await page.fill('input[name="password"]', user.password)
  await page.click('button[type="submit"]')
  await page.waitForURL(url => typeof expectedPath === 'string' ? url.pathname === expectedPath : expectedPath.test(url.pathname + url.search), { timeout: 10_000 })
}

/** The names of Amplify's user-pool cookies in a context. */
export async function authCookies(context: BrowserContext) {
  return (await context.cookies()).filter(cookie => cookie.name.startsWith('CognitoIdentityServiceProvider.'))
}

export async function screenshot(page: Page, file: string) {
  mkdirSync(dirname(file), { recursive: true })
  await page.screenshot({ path: file, fullPage: true })
}

/**
 * A second server from an already built fixture (`.output`), with its own environment — e.g. another emulator —
 * so that a test file can run the same build twice without building it again.
 */
export async function startBuiltServer(outputDir: string, env: Record<string, string>) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [`${outputDir}/server/index.mjs`], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  child.stdout.on('data', chunk => logs.push(String(chunk)))
  child.stderr.on('data', chunk => logs.push(String(chunk)))
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise(resolve => child.once('exit', resolve))
    child.kill()
    await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 2000))])
  }
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break
    const ready = await fetch(`${url}/__nuxt_ready_probe`).then(() => true, () => false)
    if (ready) return { url, logs, stop }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  await stop()
  throw new Error(`The built server did not start within 10 s:\n${logs.join('')}`)
}
