// The local AppSync on a second schema (test/fixtures/appsync-keys): a custom primary key with a sort key, a sorted
// secondary index, group rules and the API key as the default mode, driven by Amplify's server data client.
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { AmplifyServer } from 'aws-amplify/adapter-core'
import { generateClient } from 'aws-amplify/api/server'
import { decodeJwt } from 'jose'
import { startAppSync } from '../backends/appsync/index.mjs'
import { cognitoCall, signIn } from '../backends/cognito.mjs'
import { dataConfig, runAs } from '../support/data-client'
import type { Tokens } from '../support/data-client'
import type { Schema } from '../fixtures/appsync-keys/amplify/data/resource'

const cognito = inject('cognito')
const editor = { username: 'editor@example.com', password: 'Editor-passw0rd!' }
const writer = { username: 'writer@example.com', password: 'Writer-passw0rd!' }
const appsync = await startAppSync({
  schemaFile: fileURLToPath(new URL('../fixtures/appsync-keys/amplify/data/resource.ts', import.meta.url)),
  userPool: { issuer: cognito.issuer, clientId: cognito.userPoolClientId },
  defaultAuthorizationMode: 'apiKey',
})
afterAll(() => appsync.stop())

const config = dataConfig({ cognito, data: appsync.outputs })
const client = generateClient<Schema>({ config })
const as = <T>(tokens: Tokens, operation: (contextSpec: AmplifyServer.ContextSpec) => Promise<T>) => runAs(config, tokens, operation)
/** A visitor without a session: the default mode (API key) needs none. */
const anonymously = <T>(operation: (contextSpec: AmplifyServer.ContextSpec) => Promise<T>) => runAs(config, null, operation)

let editorTokens: Tokens
let writerTokens: Tokens
beforeAll(async () => {
  const admin = (operation: string, input: object) =>
    cognitoCall(cognito.emulatorUrl, operation, { UserPoolId: cognito.userPoolId, ...input })
  await admin('CreateGroup', { GroupName: 'editors' }).catch((error: Error) => {
    if (error.name !== 'GroupExistsException') throw error
  })
  for (const user of [editor, writer]) {
    await admin('AdminCreateUser', { Username: user.username, MessageAction: 'SUPPRESS' }).catch((error: Error) => {
      if (error.name !== 'UsernameExistsException') throw error
    })
    await admin('AdminSetUserPassword', { Username: user.username, Password: user.password, Permanent: true })
  }
  await admin('AdminAddUserToGroup', { Username: editor.username, GroupName: 'editors' })
  ;[editorTokens, writerTokens] = await Promise.all([editor, writer].map(user => signIn(cognito, user.username, user.password)))
})

describe('a custom primary key, a sorted index and group rules', () => {
  it('lets the editors group write and everyone read with the API key (the default mode)', async () => {
    expect(decodeJwt(editorTokens.AccessToken)['cognito:groups']).toEqual(['editors'])
    await as(editorTokens, async (ctx) => {
      for (const [slug, views] of [['a', 5], ['b', 50], ['c', 20]] as const) {
        const page = { site: 'docs', slug, title: `Page ${slug}`, views, section: 'guide' }
        expect((await client.models.Page.create(ctx, page, { authMode: 'userPool' })).errors).toBeUndefined()
      }
      const blog = { site: 'blog', slug: 'a', title: 'Blog a', views: 1, section: 'guide' }
      expect((await client.models.Page.create(ctx, blog, { authMode: 'userPool' })).errors).toBeUndefined()
    })
    const page = { site: 'docs', slug: 'x', title: 'x' }
    const refused = await as(writerTokens, ctx => client.models.Page.create(ctx, page, { authMode: 'userPool' }))
    expect(refused.errors).toMatchObject([{ errorType: 'Unauthorized' }])
    const byKey = await anonymously(ctx => client.models.Page.create(ctx, page))
    expect(byKey.errors).toMatchObject([{ errorType: 'Unauthorized' }])
  })

  it('gets by the full key and lists one partition in sort key order, with a sort key condition', async () => {
    const page = await anonymously(ctx => client.models.Page.get(ctx, { site: 'docs', slug: 'b' }))
    expect(page.data).toMatchObject({ site: 'docs', slug: 'b', title: 'Page b', views: 50 })
    const docs = await anonymously(ctx => client.models.Page.list(ctx, { site: 'docs', sortDirection: 'DESC' }))
    expect(docs.data.map(p => p.slug)).toEqual(['c', 'b', 'a'])
    const some = await anonymously(ctx => client.models.Page.list(ctx, { site: 'docs', slug: { beginsWith: 'b' } }))
    expect(some.data.map(p => p.slug)).toEqual(['b'])
  })

  it('queries the secondary index in sort key order, both ways, and pages through it', async () => {
    type Options = { sortDirection?: 'ASC' | 'DESC', limit?: number, nextToken?: string | null }
    const bySection = (views: { ge: number } | undefined, options: Options) =>
      anonymously(ctx => client.models.Page.listPageBySectionAndViews(ctx, { section: 'guide', views }, options))
    expect((await bySection({ ge: 5 }, {})).data.map(p => p.views)).toEqual([5, 20, 50])
    const desc = await bySection(undefined, { sortDirection: 'DESC', limit: 2 })
    expect(desc.data.map(p => p.views)).toEqual([50, 20])
    const rest = await bySection(undefined, { sortDirection: 'DESC', nextToken: desc.nextToken })
    expect(rest.data.map(p => p.views)).toEqual([5, 1])
  })
})
