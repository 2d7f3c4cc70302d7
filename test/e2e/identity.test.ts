import { afterAll, describe, expect, inject, it } from 'vitest'
import { $fetch, fetch, setup } from '@nuxt/test-utils/e2e'
import { browserCookies, cognitoCall } from '../backends/cognito.mjs'
import { fixtureDir, IDENTITY_POOL_ID, SETUP_TIMEOUT_MS, USERS } from '../support/fixtures'
import { startIdentityPool } from '../backends/identity-pool.mjs'

const cognito = inject('cognito')
const identityPool = await startIdentityPool({
  identityPoolId: IDENTITY_POOL_ID,
  userPools: [{ issuer: cognito.issuer, clientId: cognito.userPoolClientId }],
})
afterAll(() => identityPool.stop())

await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('identity'),
  env: {
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint,
    NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT: identityPool.endpoint,
  },
})

type Credentials = { user: string | null, identityId: string, accessKeyId: string }

async function sessionOf(user: typeof USERS[number]) {
  const { AuthenticationResult } = await cognitoCall(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: cognito.userPoolClientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  })
  return browserCookies(cognito.userPoolClientId, AuthenticationResult)
}

const guestCookie = `com.amplify.Cognito.${IDENTITY_POOL_ID}.identityId`

describe('guest access', () => {
  it('gives a signed-out visitor guest credentials and keeps their identity in its cookie', async () => {
    identityPool.resetCounts()
    const first = await fetch('/api/credentials')
    const body: Credentials = await first.json()
    expect(body.user).toBeNull()
    expect(body.identityId).toMatch(/^us-east-1:/)
    expect(identityPool.lookup(body.accessKeyId)).toMatchObject({ authenticated: false, identityId: body.identityId })
    // A guest's credentials are theirs alone: no shared cache may keep the answer.
    expect(first.headers.get('cache-control')).toBe('private, no-store')

    // The browser client (js-cookie) writes the `:` of the pool id as `%3A`: so does the server.
    const setCookie = first.headers.getSetCookie().find(h => h.startsWith(`${encodeURIComponent(guestCookie)}=`))
    expect(setCookie, first.headers.getSetCookie().join('\n')).toBeDefined()
    const cookie = setCookie!.split(';')[0]!

    for (let i = 0; i < 5; i++) {
      const again = await $fetch<Credentials>('/api/credentials', { headers: { cookie } })
      expect(again.identityId).toBe(body.identityId)
    }
    // Credentials are reused across requests until shortly before they expire.
    expect(identityPool.counts).toEqual({ GetId: 1, GetCredentialsForIdentity: 1 })
  })
})

describe('signed-in identities', () => {
  it('reuses credentials per user, never across users', async () => {
    const [alice, bob] = [await sessionOf(USERS[0]!), await sessionOf(USERS[1]!)]
    identityPool.resetCounts()
    const seen: Record<string, Set<string>> = { alice: new Set(), bob: new Set() }
    const keys: Record<string, Set<string>> = { alice: new Set(), bob: new Set() }
    for (let i = 0; i < 4; i++) {
      for (const [name, cookie] of [['alice', alice], ['bob', bob]] as const) {
        const body = await $fetch<Credentials>('/api/credentials', { headers: { cookie } })
        expect(body.user).toBe(`${name}@example.com`)
        expect(identityPool.lookup(body.accessKeyId)).toMatchObject({ authenticated: true, username: `${name}@example.com` })
        seen[name]!.add(body.identityId)
        keys[name]!.add(body.accessKeyId)
      }
    }
    expect(seen.alice!.size).toBe(1)
    expect(seen.bob!.size).toBe(1)
    expect([...seen.alice!][0]).not.toBe([...seen.bob!][0])
    expect(keys.alice!.size).toBe(1)
    expect((identityPool.counts as Record<string, number>).GetCredentialsForIdentity).toBe(2)
  })
})

describe('concurrent first requests', () => {
  it('share one credentials fetch for one identity', async () => {
    const carol = { username: `carol-${Date.now()}@example.com`, password: 'Carol-passw0rd!', name: 'Carol' }
    await cognitoCall(cognito.emulatorUrl, 'AdminCreateUser', { UserPoolId: cognito.userPoolId, Username: carol.username, MessageAction: 'SUPPRESS' })
    await cognitoCall(cognito.emulatorUrl, 'AdminSetUserPassword', { UserPoolId: cognito.userPoolId, Username: carol.username, Password: carol.password, Permanent: true })
    const cookie = await sessionOf(carol)
    identityPool.resetCounts()
    const answers = await Promise.all(Array.from({ length: 10 }, () => $fetch<Credentials>('/api/credentials', { headers: { cookie } })))
    expect(new Set(answers.map(a => a.accessKeyId)).size).toBe(1)
    expect((identityPool.counts as Record<string, number>).GetCredentialsForIdentity).toBe(1)
  })
})
