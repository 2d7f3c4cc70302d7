// Gen2 data through the module (getAmplifyDataClient in routes, useAmplifyData in SSR pages) against the local AppSync
// serving the playground's own schema, with sessions from the Cognito emulator and guests from the local identity pool.
import { afterAll, describe, expect, inject, it } from 'vitest'
import { fetch, setup } from '@nuxt/test-utils/e2e'
import { startAppSync } from '../backends/appsync/index.mjs'
import { REGION, browserCookies, signIn } from '../backends/cognito.mjs'
import { startIdentityPool } from '../backends/identity-pool.mjs'
import { USERS, fixtureDir, writeOutputs } from '../support/fixtures'
import { expiredCopy } from '../support/tokens'

const cognito = inject('cognito')
const [alice, bob] = USERS as [typeof USERS[number], typeof USERS[number]]
const userPool = { issuer: cognito.issuer, clientId: cognito.userPoolClientId }
const identityPool = await startIdentityPool({ region: REGION, userPools: [userPool] })
const appsync = await startAppSync({ userPool, identityPool })
afterAll(async () => {
  await appsync.stop()
  await identityPool.stop()
})
writeOutputs('data', { region: REGION, userPoolId: cognito.userPoolId, userPoolClientId: cognito.userPoolClientId }, {
  auth: { identity_pool_id: identityPool.identityPoolId, unauthenticated_identities_enabled: true },
  data: appsync.outputs,
})

await setup({
  rootDir: fixtureDir('data'),
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint, NUXT_PUBLIC_AMPLIFY_IDENTITY_POOL_ENDPOINT: identityPool.endpoint },
  // Amplify's data client makes this the largest build of the suite; two cores shared with other builds.
  setupTimeout: 300_000,
})

type Tokens = Awaited<ReturnType<typeof signIn>>
const tokensOf = (user: typeof alice): Promise<Tokens> => signIn(cognito, user.username, user.password)
const cookieOf = (tokens: Tokens) => browserCookies(cognito.userPoolClientId, tokens)
const [aliceTokens, bobTokens] = await Promise.all([tokensOf(alice), tokensOf(bob)])
const [aliceCookie, bobCookie] = [cookieOf(aliceTokens), cookieOf(bobTokens)]
const ownerOf = (tokens: Tokens) => {
  const claims = JSON.parse(Buffer.from(tokens.AccessToken.split('.')[1]!, 'base64url').toString())
  return `${claims.sub}::${claims.username}`
}

function request(path: string, cookie?: string, init: RequestInit = {}) {
  return fetch(path, { redirect: 'manual', ...init, headers: { ...(cookie && { cookie }), ...init.headers as Record<string, string> } })
}
async function json(path: string, cookie?: string, init?: RequestInit) {
  const res = await request(path, cookie, init)
  return { status: res.status, body: await res.json() }
}
const post = (path: string, cookie: string | undefined, body: object) =>
  json(path, cookie, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
async function page(path: string, cookie?: string) {
  const res = await request(path, cookie)
  expect(res.status).toBe(200)
  const html = await res.text()
  const shown = (testId: string) => {
    const match = new RegExp(`data-testid="${testId}">([^<]*)</pre>`).exec(html)
    expect(match, `${testId} in ${path}`).toBeTruthy()
    return unescape(match![1]!)
  }
  const payload = /<script type="application\/json"[^>]*id="__NUXT_DATA__"[^>]*>([^<]*)<\/script>/.exec(html)?.[1] ?? ''
  return { html, shown, payload, res }
}

describe('getAmplifyDataClient in server routes', () => {
  it('runs every model operation with the caller\'s session: create, get, update, lazy loader, list with filter, delete', async () => {
    const { status, body } = await post('/api/data/todos', aliceCookie, { content: 'route todo' })
    expect(status).toBe(200)
    expect(body).toEqual({
      created: { content: 'route todo', done: false, owner: ownerOf(aliceTokens) },
      got: { id: expect.any(String), content: 'route todo', done: false },
      updatedDone: true,
      comments: ['on route todo'],
      filtered: [true],
      deleted: true,
      gone: null,
    })
  })

  it('lists with selection set, limit and nextToken, and through the secondary index, only the caller\'s own', async () => {
    const put = (cookie: string, content: string, priority: string) =>
      json('/api/data/todos', cookie, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content, priority }) })
    for (const [content, priority] of [['list-a', 'HIGH'], ['list-b', 'LOW'], ['list-c', 'HIGH']]) {
      expect((await put(aliceCookie, content!, priority!)).status).toBe(200)
    }
    expect((await put(bobCookie, 'bob list', 'HIGH')).status).toBe(200)
    const seen: { content: string, owner: string }[] = []
    let nextToken: string | null = null
    let pages = 0
    do {
      const { status, body } = await json(`/api/data/todos?limit=1${nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : ''}`, aliceCookie)
      expect(status).toBe(200)
      for (const item of body.items) expect(Object.keys(item).sort()).toEqual(['content', 'id', 'owner'])
      seen.push(...body.items)
      nextToken = body.nextToken
      pages++
    } while (nextToken && pages < 20)
    expect(pages).toBeGreaterThan(1)
    expect(seen.map(t => t.content).sort()).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c']))
    expect(seen.every(t => t.owner === ownerOf(aliceTokens))).toBe(true)
    expect((await json('/api/data/todos?priority=HIGH', aliceCookie)).body).toEqual(expect.arrayContaining(['list-a', 'list-c']))
    expect((await json('/api/data/todos?priority=HIGH', aliceCookie)).body).not.toContain('bob list')
    expect((await json('/api/data/todos?priority=HIGH', bobCookie)).body).toEqual(['bob list'])
  })

  it('answers custom queries and mutations, enums and plain graphql as the signed-in user', async () => {
    const { status, body } = await json('/api/data/custom', aliceCookie)
    expect(status).toBe(200)
    expect(body).toEqual({
      echo: { text: 'hello', length: 5, caller: alice.username },
      shout: { text: 'HELLO', length: 5, caller: alice.username },
      graphql: { echo: { text: 'raw', caller: alice.username } },
      priorities: ['LOW', 'MEDIUM', 'HIGH'],
    })
  })

  it('reads the public model with the API key and as a guest, and lets only signed-in users write it', async () => {
    expect((await post('/api/data/notices', aliceCookie, { title: 'Hello all' })).status).toBe(200)
    expect(await json('/api/data/notices?mode=apiKey')).toEqual({ status: 200, body: expect.arrayContaining(['Hello all']) })
    expect(await json('/api/data/notices?mode=identityPool')).toEqual({ status: 200, body: expect.arrayContaining(['Hello all']) })
    const refused = await post('/api/data/notices', undefined, { title: 'spam' })
    expect(refused.status).toBe(401)
    expect(refused.body).toMatchObject({ statusCode: 401, data: { error: 'Authentication required' } })
    expect(JSON.stringify(refused.body)).not.toMatch(/stack|at .*\.mjs/)
  })

  it('answers 401 JSON to a signed-out caller of an owner-only model', async () => {
    const { status, body } = await json('/api/data/todos')
    expect(status).toBe(401)
    expect(body).toMatchObject({ statusCode: 401, message: 'Authentication required' })
  })

  it('answers 403 JSON when the record is someone else\'s', async () => {
    const { body: todo } = await json('/api/data/todos', aliceCookie, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content: 'alice private' }),
    })
    expect(await json(`/api/data/todos/${todo.id}`, aliceCookie)).toMatchObject({ status: 200, body: { content: 'alice private' } })
    const { status, body } = await json(`/api/data/todos/${todo.id}`, bobCookie)
    expect(status).toBe(403)
    expect(body).toMatchObject({ statusCode: 403, data: { code: 'Unauthorized' } })
    expect(JSON.stringify(body)).not.toContain('alice private')
  })

  it('throws the module\'s error for subscriptions on the server', async () => {
    const { status, body } = await json('/api/data/subscribe', aliceCookie)
    expect(status).toBe(200)
    expect(body.model).toMatch(/client\.models\.Todo\.onCreate\(\) is a subscription: subscriptions run in the browser only/)
    expect(body.observeQuery).toMatch(/observeQuery\(\) is a subscription/)
    expect(body.graphql).toMatch(/GraphQL subscriptions run in the browser only/)
  })
})

describe('useAmplifyData in SSR pages', () => {
  it('runs every model operation, the custom query and enums during SSR; records reach the payload as plain data', async () => {
    const { shown, payload } = await page('/ops', aliceCookie)
    const ops = JSON.parse(shown('ops'))
    expect(ops).toMatchObject({
      record: { content: 'from a page', priority: 'LOW', done: false, owner: ownerOf(aliceTokens) },
      updatedDone: true,
      comments: ['page comment'],
      deleted: true,
      echo: { text: 'page', length: 4, caller: alice.username },
      priorities: ['LOW', 'MEDIUM', 'HIGH'],
    })
    expect(ops.byPriority).toContain('from a page')
    // The lazy loader ran on the server (comments above); the page holds the record without it.
    expect(Object.keys(ops.record)).not.toContain('comments')
    expect(payload).toContain('from a page')
  })

  it('renders each user\'s own todos only, in the HTML and in the payload', async () => {
    const put = (cookie: string, content: string) =>
      request('/api/data/todos', cookie, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content }) })
    await put(aliceCookie, 'alice secret todo')
    await put(bobCookie, 'bob secret todo')
    const asAlice = await page('/todos', aliceCookie)
    const asBob = await page('/todos', bobCookie)
    const aliceTodos = JSON.parse(asAlice.shown('todos'))
    expect(aliceTodos.side).toBe('server')
    expect(aliceTodos.items.map((t: { content: string }) => t.content)).toContain('alice secret todo')
    expect(aliceTodos.items.every((t: { owner: string }) => t.owner === ownerOf(aliceTokens))).toBe(true)
    expect(asAlice.html).not.toContain('bob secret todo')
    expect(asAlice.payload).toContain('alice secret todo')
    expect(asAlice.payload).not.toContain(ownerOf(bobTokens))
    expect(asBob.html).toContain('bob secret todo')
    expect(asBob.html).not.toContain('alice secret todo')
    expect(asBob.payload).not.toContain(ownerOf(aliceTokens))
  })

  it('gives a signed-out visitor Amplify\'s own answer, as in the browser: the call rejects before sending (no user token)', async () => {
    const { shown } = await page('/todos')
    expect(shown('error')).toBe('No federated jwt')
    expect(shown('todos')).toBe('null')
  })

  it('reads the public model with the API key and as a guest of the identity pool', async () => {
    await post('/api/data/notices', aliceCookie, { title: 'For guests' })
    const { shown } = await page('/notices')
    expect(shown('error')).toBe('')
    const notices = JSON.parse(shown('notices'))
    expect(notices.byKey).toContain('For guests')
    expect(notices.byGuest).toContain('For guests')
    expect(notices.guestErrors).toBeNull()
  })

  it('refreshes an expired session during a data call and writes back one set of cookies', async () => {
    const tokens = await tokensOf(alice)
    const expired = cookieOf({ ...tokens, AccessToken: await expiredCopy(tokens.AccessToken), IdToken: await expiredCopy(tokens.IdToken) })
    const { shown, res } = await page('/todos', expired)
    const todos = JSON.parse(shown('todos'))
    expect(todos.errors).toBeNull()
    expect(todos.items.map((t: { content: string }) => t.content)).toContain('alice secret todo')
    const prefix = `CognitoIdentityServiceProvider.${cognito.userPoolClientId}.${encodeURIComponent(alice.username)}`
    const accessCookies = res.headers.getSetCookie().filter(h => h.startsWith(`${prefix}.accessToken=`))
    expect(accessCookies).toHaveLength(1)
    expect(accessCookies[0]).not.toContain(tokens.AccessToken.slice(-20))

    const route = await request('/api/data/todos', expired)
    expect(route.status).toBe(200)
    expect(route.headers.getSetCookie().filter(h => h.startsWith(`${prefix}.accessToken=`))).toHaveLength(1)
  })
})
