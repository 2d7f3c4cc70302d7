// The local AppSync (test/backends/appsync) driven by Amplify's own data client, so that what it serves is what
// `generateClient<Schema>()` really sends for the playground's schema: the server client (`aws-amplify/api/server`,
// one server context per user, as the module builds them) for alice, bob, guests and the API key, and the browser
// client (`aws-amplify/data` after `Amplify.configure` and a real sign-in) for the singleton path.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import type { ResourcesConfig } from 'aws-amplify'
import type { AmplifyServer } from 'aws-amplify/adapter-core'
import { generateClient } from 'aws-amplify/api/server'
import { signIn as amplifySignIn, signOut } from 'aws-amplify/auth'
import { generateClient as generateBrowserClient } from 'aws-amplify/data'
import { SignJWT, decodeJwt, generateKeyPair } from 'jose'
import { startAppSync } from '../backends/appsync/index.mjs'
import { REGION, signIn } from '../backends/cognito.mjs'
import { dataConfig, ownerOf, runAs } from '../support/data-client'
import type { Tokens } from '../support/data-client'
import { USERS } from '../support/fixtures'
import { startIdentityPool } from '../backends/identity-pool.mjs'
import { expiredCopy } from '../support/tokens'
import { DEMO_TOKEN } from '../../playground/amplify/data/custom-authorizer'
import type { Schema } from '../../playground/amplify/data/resource'

const cognito = inject('cognito')
const [alice, bob] = USERS as [typeof USERS[number], typeof USERS[number]]
const userPool = { issuer: cognito.issuer, clientId: cognito.userPoolClientId }
const identityPool = await startIdentityPool({ region: REGION, userPools: [userPool] })
const lambdaAuthorizer = fileURLToPath(new URL('../../playground/amplify/data/custom-authorizer.ts', import.meta.url))
const appsync = await startAppSync({ userPool, identityPool, lambdaAuthorizer })
afterAll(async () => {
  await appsync.stop()
  await identityPool.stop()
})

const config = dataConfig({ cognito, data: appsync.outputs, identityPool })
const session = (user: typeof alice): Promise<Tokens> => signIn(cognito, user.username, user.password)
const as = <T>(tokens: Tokens | null, operation: (contextSpec: AmplifyServer.ContextSpec) => Promise<T>, jar?: Map<string, string>) =>
  runAs(config, tokens, operation, jar)

const client = generateClient<Schema>({ config })
// With the schema given, the options type must be too (TypeScript infers all type arguments or none).
const apiKeyClient = generateClient<Schema, { config: ResourcesConfig, authMode: 'apiKey' }>({ config, authMode: 'apiKey' })
const guestClient = generateClient<Schema, { config: ResourcesConfig, authMode: 'identityPool' }>({ config, authMode: 'identityPool' })

let aliceTokens: Tokens
let bobTokens: Tokens
beforeAll(async () => {
  [aliceTokens, bobTokens] = await Promise.all([session(alice), session(bob)])
})

describe('models with owner rules', () => {
  it('creates, gets, updates and deletes the caller\'s own todo, with defaults, enums and timestamps', async () => {
    await as(aliceTokens, async (ctx) => {
      const created = await client.models.Todo.create(ctx, { content: 'Buy milk', priority: 'HIGH' })
      expect(created.errors).toBeUndefined()
      const todo = created.data!
      expect(todo).toMatchObject({ content: 'Buy milk', priority: 'HIGH', done: false, owner: ownerOf(aliceTokens) })
      expect(todo.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(Date.parse(todo.createdAt)).toBeGreaterThan(Date.now() - 60_000)

      const got = await client.models.Todo.get(ctx, { id: todo.id }, { selectionSet: ['id', 'content', 'priority'] })
      expect(got).toEqual({ data: { id: todo.id, content: 'Buy milk', priority: 'HIGH' } })

      const updated = await client.models.Todo.update(ctx, { id: todo.id, done: true })
      expect(updated.data).toMatchObject({ id: todo.id, done: true, content: 'Buy milk' })
      expect(updated.data!.updatedAt >= todo.updatedAt).toBe(true)

      const deleted = await client.models.Todo.delete(ctx, { id: todo.id })
      expect(deleted.data).toMatchObject({ id: todo.id })
      expect((await client.models.Todo.get(ctx, { id: todo.id })).data).toBeNull()
    })
  })

  it('lists with a filter, pages with limit and nextToken, and queries the secondary index', async () => {
    await as(aliceTokens, async (ctx) => {
      for (const [content, priority] of [['a', 'LOW'], ['b', 'HIGH'], ['c', 'HIGH'], ['d', 'MEDIUM']] as const) {
        await client.models.Todo.create(ctx, { content: `list-${content}`, priority })
      }
      const high = await client.models.Todo.list(ctx, { filter: { content: { beginsWith: 'list-' }, priority: { eq: 'HIGH' } } })
      expect(high.data.map(t => t.content).sort()).toEqual(['list-b', 'list-c'])

      const seen: string[] = []
      let nextToken: string | null | undefined
      let pages = 0
      do {
        const page = await client.models.Todo.list(ctx, { filter: { content: { beginsWith: 'list-' } }, limit: 3, nextToken })
        expect(page.errors).toBeUndefined()
        seen.push(...page.data.map(t => t.content))
        nextToken = page.nextToken
        pages++
      } while (nextToken && pages < 10)
      expect(seen.sort()).toEqual(['list-a', 'list-b', 'list-c', 'list-d'])
      expect(pages).toBeGreaterThan(1)

      const byPriority = await client.models.Todo.listTodoByPriority(ctx, { priority: 'HIGH' }, { filter: { content: { beginsWith: 'list-' } } })
      expect(byPriority.errors).toBeUndefined()
      expect(byPriority.data.map(t => t.content).sort()).toEqual(['list-b', 'list-c'])
    })
  })

  it('keeps alice\'s and bob\'s todos apart: bob neither lists, gets, updates nor deletes alice\'s', async () => {
    const mine = await as(aliceTokens, ctx => client.models.Todo.create(ctx, { content: 'alice only' }))
    const id = mine.data!.id
    await as(bobTokens, async (ctx) => {
      await client.models.Todo.create(ctx, { content: 'bob only' })
      const listed = await client.models.Todo.list(ctx)
      expect(listed.data.map(t => t.content)).toEqual(['bob only'])
      expect(listed.data.every(t => t.owner === ownerOf(bobTokens))).toBe(true)
      const byIndex = await client.models.Todo.listTodoByPriority(ctx, { priority: 'HIGH' })
      expect(byIndex.data).toEqual([])

      const got = await client.models.Todo.get(ctx, { id })
      expect(got.data).toBeNull()
      expect(got.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access getTodo on type Query' }])
      const updated = await client.models.Todo.update(ctx, { id, content: 'taken over' })
      expect(updated.errors).toMatchObject([{ errorType: 'Unauthorized' }])
      const deleted = await client.models.Todo.delete(ctx, { id })
      expect(deleted.errors).toMatchObject([{ errorType: 'Unauthorized' }])
    })
    const still = await as(aliceTokens, ctx => client.models.Todo.get(ctx, { id }))
    expect(still.data).toMatchObject({ id, content: 'alice only' })
    expect((await as(aliceTokens, ctx => client.models.Todo.list(ctx))).data.some(t => t.content === 'bob only')).toBe(false)
  })

  it('resolves hasMany and belongsTo, in a selection set and through the lazy loaders', async () => {
    await as(aliceTokens, async (ctx) => {
      const todo = (await client.models.Todo.create(ctx, { content: 'with comments' })).data!
      await client.models.Comment.create(ctx, { todoId: todo.id, text: 'first' })
      await client.models.Comment.create(ctx, { todoId: todo.id, text: 'second' })

      const nested = await client.models.Todo.get(ctx, { id: todo.id }, { selectionSet: ['id', 'comments.text'] })
      expect(nested.errors).toBeUndefined()
      expect(nested.data!.comments.map(c => c.text).sort()).toEqual(['first', 'second'])

      // On the server the lazy loaders take the context first, as every call does; aws-amplify 6.22's types omit it.
      const withContext = <T>(loader: unknown) => (loader as (contextSpec: AmplifyServer.ContextSpec) => Promise<T>)(ctx)
      const lazy = (await client.models.Todo.get(ctx, { id: todo.id })).data!
      const comments = await withContext<Awaited<ReturnType<typeof lazy.comments>>>(lazy.comments)
      expect(comments.data.map(c => c.text).sort()).toEqual(['first', 'second'])
      const comment = comments.data[0]!
      const parent = await withContext<Awaited<ReturnType<typeof comment.todo>>>(comment.todo)
      expect(parent.data).toMatchObject({ id: todo.id, content: 'with comments' })
    })
  })

  it('refuses a conditional update whose condition fails', async () => {
    await as(aliceTokens, async (ctx) => {
      const todo = (await client.models.Todo.create(ctx, { content: 'conditional' })).data!
      const result = await (client.graphql(ctx, {
        query: /* GraphQL */ `mutation ($input: UpdateTodoInput!, $condition: ModelTodoConditionInput) {
          updateTodo(input: $input, condition: $condition) { id done }
        }`,
        variables: { input: { id: todo.id, done: true }, condition: { content: { eq: 'something else' } } },
      }) as Promise<unknown>).catch((error: unknown) => error)
      expect(result).toMatchObject({ errors: [{ errorType: 'DynamoDB:ConditionalCheckFailedException' }] })
    })
  })
})

describe('a public model, a custom query and enums', () => {
  it('lets signed-in users write notices, and guests, the API key and Lambda-authorized tokens read them', async () => {
    const created = await as(aliceTokens, ctx => client.models.Notice.create(ctx, { title: 'Welcome', category: 'news', body: 'Hello' }))
    expect(created.errors).toBeUndefined()

    const byKey = await as(null, ctx => apiKeyClient.models.Notice.list(ctx))
    expect(byKey.errors).toBeUndefined()
    expect(byKey.data.map(n => n.title)).toContain('Welcome')
    const byCategory = await as(null, ctx => apiKeyClient.models.Notice.listNoticeByCategory(ctx, { category: 'news' }))
    expect(byCategory.data.map(n => n.title)).toEqual(['Welcome'])

    const byGuest = await as(null, ctx => guestClient.models.Notice.get(ctx, { id: created.data!.id }))
    expect(byGuest.errors).toBeUndefined()
    expect(byGuest.data).toMatchObject({ title: 'Welcome', body: 'Hello' })

    // `allow.custom()`: a token the Lambda authorizer accepts, per call.
    const byLambda = await as(null, ctx => client.models.Notice.list(ctx, { authMode: 'lambda', authToken: DEMO_TOKEN }))
    expect(byLambda.errors).toBeUndefined()
    expect(byLambda.data.map(n => n.title)).toContain('Welcome')
    const refused = await as(null, ctx => client.models.Notice.list(ctx, { authMode: 'lambda', authToken: 'custom-wrong' }))
    expect(refused.errors).toMatchObject([{ message: 'Unauthorized', originalError: { name: 'UnauthorizedException' } }])
  })

  it('refuses writes by the API key, guests and Lambda tokens, and owner-only models to all three', async () => {
    const byKey = await as(null, ctx => apiKeyClient.models.Notice.create(ctx, { title: 'spam', category: 'news' }))
    expect(byKey.errors).toMatchObject([{ errorType: 'Unauthorized' }])
    const byGuest = await as(null, ctx => guestClient.models.Notice.create(ctx, { title: 'spam', category: 'news' }))
    expect(byGuest.errors).toMatchObject([{ errorType: 'Unauthorized' }])
    const todos = await as(null, ctx => apiKeyClient.models.Todo.list(ctx))
    expect(todos.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access listTodos on type Query' }])
    const guestTodos = await as(null, ctx => guestClient.models.Todo.list(ctx))
    expect(guestTodos.errors).toMatchObject([{ errorType: 'Unauthorized' }])
    const lambdaTodos = await as(null, ctx => client.models.Todo.list(ctx, { authMode: 'lambda', authToken: DEMO_TOKEN }))
    expect(lambdaTodos.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access listTodos on type Query' }])
    const lambda = { authMode: 'lambda', authToken: DEMO_TOKEN } as const
    const byLambda = await as(null, ctx => client.models.Notice.create(ctx, { title: 'spam', category: 'news' }, lambda))
    expect(byLambda.errors).toMatchObject([{ errorType: 'Unauthorized' }])
    // `allow.guest()` is the identity pool's unauthenticated role: a signed-in user's IAM credentials are not guests.
    const signedInIam = await as(aliceTokens, ctx => client.models.Notice.list(ctx, { authMode: 'identityPool' }))
    expect(signedInIam.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access listNotices on type Query' }])
  })

  it('runs the custom query\'s and mutation\'s handlers with the caller\'s identity', async () => {
    const signedIn = await as(aliceTokens, ctx => client.queries.echo(ctx, { text: 'hello' }))
    expect(signedIn).toEqual({ data: { text: 'hello', length: 5, caller: alice.username } })
    const byKey = await as(null, ctx => apiKeyClient.queries.echo(ctx, { text: 'hi' }))
    expect(byKey.data).toEqual({ text: 'hi', length: 2, caller: null })
    const shouted = await as(aliceTokens, ctx => client.mutations.shout(ctx, { text: 'hello' }))
    expect(shouted).toEqual({ data: { text: 'HELLO', length: 5, caller: alice.username } })
    const shoutByKey = await as(null, ctx => apiKeyClient.mutations.shout(ctx, { text: 'hi' }))
    expect(shoutByKey.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access shout on type Mutation' }])
    // The query allows user pools and the API key only: AppSync's own gate refuses IAM (guest) callers.
    const byGuest = await as(null, ctx => guestClient.queries.echo(ctx, { text: 'hi' }))
    expect(byGuest.errors).toMatchObject([{ errorType: 'Unauthorized', message: 'Not Authorized to access echo on type Query' }])
  })

  it('gives the schema\'s enums', () => {
    expect(client.enums.Priority.values()).toEqual(['LOW', 'MEDIUM', 'HIGH'])
  })
})

describe('requests no auth mode accepts', () => {
  const post = (headers: Record<string, string>) => fetch(appsync.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: '{ listTodos { items { id } } }' }),
  })

  it('answers 401 UnauthorizedException without credentials, with a forged token or a wrong API key', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT(decodeJwt(aliceTokens.AccessToken))
      .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
      .sign(privateKey)
    for (const headers of [{}, { authorization: forged }, { 'x-api-key': 'da2-wrong' }] as Record<string, string>[]) {
      const res = await post(headers)
      expect(res.status).toBe(401)
      expect(res.headers.get('x-amzn-errortype')).toBe('UnauthorizedException')
      expect((await res.json()).errors[0].errorType).toBe('UnauthorizedException')
    }
    expect((await post({ authorization: aliceTokens.AccessToken })).status).toBe(200)
  })

  it('refuses an expired access token, which Amplify\'s client refreshes before calling', async () => {
    const expired = await expiredCopy(aliceTokens.AccessToken)
    const res = await post({ authorization: expired })
    expect([res.status, (await res.json()).errors[0].message]).toEqual([401, 'Token has expired.'])

    const jar = new Map<string, string>()
    const stale = { ...aliceTokens, AccessToken: expired, IdToken: await expiredCopy(aliceTokens.IdToken) }
    const listed = await as(stale, ctx => client.models.Todo.list(ctx), jar)
    expect(listed.errors).toBeUndefined()
    expect(listed.data.every(t => t.owner === ownerOf(aliceTokens))).toBe(true)
    const username = String(decodeJwt(aliceTokens.AccessToken).username)
    const written = jar.get(`CognitoIdentityServiceProvider.${cognito.userPoolClientId}.${username}.accessToken`)!
    expect(written).not.toBe(expired)
    expect(decodeJwt(written).exp! * 1000).toBeGreaterThan(Date.now())
  })

  it('refuses a forged session that Amplify\'s client sends, and a signed-out visitor never gets that far', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const forge = (token: string) => new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' }).sign(privateKey)
    // Only the access token (what the client sends for `userPool`) is forged: the identity pool accepts the session.
    const forged = { ...aliceTokens, AccessToken: await forge(aliceTokens.AccessToken) }
    const result = await as(forged, ctx => client.models.Todo.list(ctx))
    expect(result.data).toEqual([])
    // Amplify turns the HTTP 401 into one error whose original error is the service's `UnauthorizedException`.
    expect(result.errors).toMatchObject([{ message: 'Unauthorized', originalError: { name: 'UnauthorizedException' } }])
    await expect(as(null, ctx => client.models.Todo.list(ctx))).rejects.toMatchObject({ name: 'NoValidAuthTokens' })
  })
})

describe('the browser client after a real sign-in', () => {
  afterAll(() => signOut())

  it('lists only the signed-in user\'s todos with generateClient() from aws-amplify/data', async () => {
    Amplify.configure(config)
    await amplifySignIn({ username: bob.username, password: bob.password, options: { authFlowType: 'USER_PASSWORD_AUTH' } })
    const browser = generateBrowserClient<Schema>()
    const created = await browser.models.Todo.create({ content: 'from the browser client', priority: 'LOW' })
    expect(created.data).toMatchObject({ owner: ownerOf(bobTokens) })
    const listed = await browser.models.Todo.list()
    expect(listed.data.length).toBeGreaterThan(0)
    expect(listed.data.every(t => t.owner === ownerOf(bobTokens))).toBe(true)
    const notices = await browser.models.Notice.list({ authMode: 'apiKey' })
    expect(notices.errors).toBeUndefined()
  })
})
