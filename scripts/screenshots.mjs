// `npm run screenshots`: the README's pictures of the playground, taken offline with `npm run dev` and Debian's
// chromium. Signs the demo user in through the login form, then saves a few pages to docs/screenshots/.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { freePort } from '../test/backends/cognito.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = `${root}docs/screenshots`
const port = await freePort()
const base = `http://localhost:${port}`

const dev = spawn('npm', ['run', 'dev', '--', '--port', String(port)], { cwd: root, stdio: 'ignore', detached: true })
const stop = () => {
  try {
    process.kill(-dev.pid, 'SIGTERM')
  }
  catch { /* already gone */ }
}

try {
  let up = false
  for (let i = 0; i < 240 && !up; i++) {
    up = await fetch(`${base}/`).then(res => res.ok, () => false)
    if (!up) await new Promise(r => setTimeout(r, 500))
  }
  if (!up) throw new Error(`the playground did not answer at ${base} within 2 minutes`)

  mkdirSync(out, { recursive: true })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const page = await browser.newPage({ viewport: { width: 900, height: 560 } })
  page.setDefaultTimeout(60_000)
  await page.goto(`${base}/profile`)
  await page.waitForURL(/\/login/)
  await page.screenshot({ path: `${out}/login.png` })
  await page.fill('input[name=email]', 'demo@example.com')
  await page.fill('input[name=password]', 'Passw0rd!')
  await page.click('button[type=submit]')
  await page.waitForURL(/\/profile/)
  await page.getByTestId('attr-email').waitFor()
  await page.screenshot({ path: `${out}/profile.png` })
  for (const path of ['files', 'notes', 'todos']) {
    await page.goto(`${base}/${path}`)
    await page.waitForLoadState('networkidle')
    if (path === 'todos') {
      // Nothing is seeded: two todos of the demo user, made as the page makes them (the starter's window.prompt).
      for (const content of ['Try Gen2 data on the server', 'Sign in as the second user']) {
        page.once('dialog', dialog => void dialog.accept(content))
        await page.getByTestId('new-todo').click()
        await page.getByTestId('todos').getByText(content).waitFor()
      }
      await page.getByTestId('todos').getByRole('checkbox').first().check()
      await page.waitForLoadState('networkidle')
    }
    await page.screenshot({ path: `${out}/${path}.png` })
  }
  await browser.close()
  console.log(`Screenshots saved to ${out}`)
}
finally {
  stop()
}
