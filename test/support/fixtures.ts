import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const USERS = [
  { username: 'alice@example.com', password: 'Alice-passw0rd!', name: 'Alice' },
  { username: 'bob@example.com', password: 'Bob-passw0rd!', name: 'Bob' },
]

export const FIXTURES = ['basic', 'sessions', 'identity', 'browser', 'dev', 'apis', 'authz']

/** The identity pool of the `identity` fixture, served by test/backends/identity-pool.mjs. */
export const IDENTITY_POOL_ID = 'us-east-1:00000000-0000-4000-8000-000000000001'

/** Outputs beyond the user pool, by fixture. */
const EXTRA_AUTH: Record<string, object> = {
  identity: { identity_pool_id: IDENTITY_POOL_ID, unauthenticated_identities_enabled: true },
}

// How long @nuxt/test-utils may take to build a fixture (its default is 120 s): two builds share the two cores, and a
// busy machine stretches them past that.
export const SETUP_TIMEOUT_MS = 300_000

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
      ...EXTRA_AUTH[fixture],
      ...auth,
    },
    ...sections,
  }))
}
