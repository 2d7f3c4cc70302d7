import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startCognito } from '../backends/cognito.mjs'
import { FIXTURES, USERS, writeOutputs } from './fixtures'

/** One emulator for the whole run; every fixture app is pointed at it. */
export default async function setup({ provide }: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-test-'))
  // Usernames stay as chosen (`alice@example.com`), so cookie names carry an `@` as they do for such pools.
  const cognito = await startCognito({ dir, emailUsernames: false })
  for (const user of USERS) await cognito.ensureUser(user.username, user.password, { name: user.name })
  for (const fixture of FIXTURES) writeOutputs(fixture, cognito)
  provide('cognito', {
    endpoint: cognito.endpoint,
    emulatorUrl: cognito.emulatorUrl,
    userPoolId: cognito.userPoolId,
    userPoolClientId: cognito.userPoolClientId,
    issuer: cognito.issuer,
  })
  return async () => {
    await cognito.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    cognito: { endpoint: string, emulatorUrl: string, userPoolId: string, userPoolClientId: string, issuer: string }
  }
}
