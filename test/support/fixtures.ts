import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const USERS = [
  { username: 'alice@example.com', password: 'Alice-passw0rd!', name: 'Alice' },
  { username: 'bob@example.com', password: 'Bob-passw0rd!', name: 'Bob' },
]

export const FIXTURES = ['basic', 'apis']

export const fixtureDir = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

/**
 * The Gen2 outputs file a fixture app is built from; the emulator's endpoint is given at run time by env.
 * `extra` adds sections (`data`, `storage`, `custom`) and auth fields (identity pool) for fixtures that need them.
 */
export function writeOutputs(fixture: string, cognito: { region: string, userPoolId: string, userPoolClientId: string }, extra: { auth?: object, [section: string]: unknown } = {}) {
  const { auth, ...sections } = extra
  writeFileSync(`${fixtureDir(fixture)}/amplify_outputs.json`, JSON.stringify({
    version: '1.3',
    auth: {
      aws_region: cognito.region,
      user_pool_id: cognito.userPoolId,
      user_pool_client_id: cognito.userPoolClientId,
      ...auth,
    },
    ...sections,
  }))
}
