import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest'
import { CLIENT_APIS, apisNamedIn, clientApisTemplate, selectClientApis, sourceFiles } from '../../../src/client-apis'
import type { ClientApiName } from '../../../src/client-apis'
import type { AmplifyAPI } from '../../../src/runtime/app/utils/amplify-api'
import type { AmplifyAuth } from '../../../src/runtime/app/utils/amplify-auth'
import type { AmplifyStorage } from '../../../src/runtime/app/utils/amplify-storage'

const work = mkdtempSync(join(tmpdir(), 'client-apis-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function files(tree: Record<string, string>, root = mkdtempSync(join(work, 'app-'))) {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

const ALL = Object.entries(CLIENT_APIS).flatMap(([category, names]) => names.map(name => `${category}.${name}`))

describe('the APIs the module knows', () => {
  it('are every member of useAmplify()\'s interfaces', () => {
    expectTypeOf<Exclude<keyof AmplifyAuth, typeof CLIENT_APIS.Auth[number]>>().toEqualTypeOf<never>()
    expectTypeOf<Exclude<keyof AmplifyAPI, typeof CLIENT_APIS.API[number]>>().toEqualTypeOf<never>()
    expectTypeOf<Exclude<keyof AmplifyStorage, typeof CLIENT_APIS.Storage[number]>>().toEqualTypeOf<never>()
    expect(ALL).toHaveLength(20)
  })
})

describe('apisNamedIn', () => {
  it('finds API names as words, in any syntax, each once', () => {
    const text = `const { Storage } = useAmplify()
      await Storage.uploadData({ path, data }).result
      const { signIn, graphql: gql } = useAmplify().Auth
      Storage['list']({ path }); Storage.list({ path })`
    expect(apisNamedIn(text).sort()).toEqual(['API.graphql', 'Auth.signIn', 'Storage.list', 'Storage.uploadData'])
  })

  it('does not take a name inside a longer identifier', () => {
    expect(apisNamedIn('query listNotes { } useHead({}) signInWithRedirect() getUrlFor uploadDataset')).toEqual([])
  })
})

describe('sourceFiles', () => {
  it('walks the roots for script and Vue files, skipping installed, built and ignored ones', () => {
    const root = files({
      'pages/index.vue': '',
      'components/deep/Upload.tsx': '',
      'utils/a.mjs': '',
      'layers/base/app.vue': '',
      'README.md': 'uploadData',
      'data.json': '{}',
      'node_modules/pkg/index.js': '',
      '.nuxt/app.mjs': '',
      '.output/server/index.mjs': '',
      'dist/x.js': '',
      'pages/skipped.vue': '',
    })
    const found = sourceFiles([root, join(root, 'pages'), join(root, 'absent')], path => path.endsWith('skipped.vue'))
    expect(found.map(file => file.slice(root.length + 1)).sort())
      .toEqual(['components/deep/Upload.tsx', 'layers/base/app.vue', 'pages/index.vue', 'utils/a.mjs'])
  })

  it('takes a file given as a root', () => {
    const root = files({ 'app.vue': '', 'other.vue': '' })
    expect(sourceFiles([join(root, 'app.vue')])).toEqual([join(root, 'app.vue')])
  })
})

describe('selectClientApis', () => {
  const app = files({ 'pages/a.vue': 'useAmplify().Storage.uploadData(x)', 'plugins/b.ts': 'Auth.signOut()' })
  const scanned = () => sourceFiles([app])

  it('keeps the APIs the app names ("used", the default)', () => {
    expect([...selectClientApis(undefined, false, scanned)].sort()).toEqual(['Auth.signOut', 'Storage.uploadData'])
    expect([...selectClientApis('used', false, scanned)].sort()).toEqual(['Auth.signOut', 'Storage.uploadData'])
  })

  it('adds the listed APIs to those found', () => {
    expect([...selectClientApis(['API.post', 'Storage.copy'], false, scanned)].sort())
      .toEqual(['API.post', 'Auth.signOut', 'Storage.copy', 'Storage.uploadData'])
  })

  it('keeps every API with "all" and in development, without scanning', () => {
    const fail = () => {
      throw new Error('scanned')
    }
    expect(selectClientApis('all', false, fail).size).toBe(20)
    expect(selectClientApis('used', true, fail).size).toBe(20)
  })

  it('refuses names it does not know and values of another kind, saying what it accepts', () => {
    expect(() => selectClientApis(['Storage.upload' as ClientApiName], false, scanned))
      .toThrow(/amplify.clientApis: unknown "Storage.upload"; the APIs are Auth.getCurrentUser, /)
    expect(() => selectClientApis('some' as 'used', false, scanned)).toThrow(/must be 'used', 'all' or a list/)
  })
})

describe('clientApisTemplate', () => {
  const runtime = '/module/runtime'

  it('imports the selected APIs only and puts a left-out stand-in for each other', () => {
    const text = clientApisTemplate(new Set(['Auth.signIn', 'Storage.list'] as ClientApiName[]), false, runtime)
    expect(text).toContain('import { signIn as Auth_signIn } from "/module/runtime/app/utils/browser-auth"')
    expect(text).toContain('import { list as Storage_list } from "/module/runtime/app/utils/browser-storage"')
    expect(text).not.toContain('browser-api"')
    expect(text).toContain('signIn: input => Auth_signIn(input, config.auth.signInFlow)')
    expect(text).toContain(`uploadData: leftOutClientApi('Storage.uploadData')`)
    expect(text).toContain(`graphql: leftOutClientApi('API.graphql')`)
    expect(text).toContain('export const serverAuthEnabled = false')
    expect(text).not.toContain('server-auth-client')
  })

  it('calls Amplify\'s GraphQL API itself when its modules are known, generateClient()\'s client otherwise', () => {
    const selected = new Set(['API.graphql', 'API.get'] as ClientApiName[])
    const direct = clientApisTemplate(selected, false, runtime, { graphqlApi: '/amplify/api-graphql.mjs', core: '/amplify/core.mjs' })
    expect(direct).toContain('import { GraphQLAPI } from "/amplify/api-graphql.mjs"')
    expect(direct).toContain('import { getGlobalContext } from "/amplify/core.mjs"')
    expect(direct).toContain('import { get as API_get } from "/module/runtime/app/utils/browser-api"')
    expect(direct).toContain('graphql: graphqlThrough(GraphQLAPI, getGlobalContext)')
    const viaClient = clientApisTemplate(selected, false, runtime)
    expect(viaClient).toContain('import { get as API_get, graphql as API_graphql } from "/module/runtime/app/utils/browser-api"')
    expect(viaClient).not.toContain('GraphQLAPI')
    // Not selected: none of it.
    expect(clientApisTemplate(new Set(), false, runtime, { graphqlApi: '/a.mjs', core: '/c.mjs' })).not.toContain('GraphQLAPI')
  })

  it('with serverAuth, takes Auth from the module\'s auth routes and none of Amplify\'s Auth APIs', () => {
    const text = clientApisTemplate(new Set(ALL as ClientApiName[]), true, runtime)
    expect(text).toContain('Auth: createServerAuthClient(config.serverAuth.basePath, useAmplifyUser())')
    expect(text).not.toContain('browser-auth')
    expect(text).not.toContain('leftOutClientApi')
    expect(text).toContain('export const serverAuthEnabled = true')
  })

  it('builds objects whose left-out APIs throw the error that names them and the option', async () => {
    // The template over stand-ins of the browser wrappers, and the real left-out error.
    const fake = files({
      'app/utils/browser-auth.ts': 'export const signIn = (input: object, flow: string) => ({ input, flow })',
      'app/utils/browser-api.ts': '',
      'app/utils/browser-storage.ts': 'export const list = () => \'listed\'',
      'app/utils/left-out-client-api.ts': `export * from ${JSON.stringify(fileURLToPath(new URL('../../../src/runtime/app/utils/left-out-client-api.ts', import.meta.url)))}`,
    })
    writeFileSync(join(fake, 'template.mjs'), clientApisTemplate(new Set(['Auth.signIn', 'Storage.list'] as ClientApiName[]), false, fake))
    const { browserApis } = await import(join(fake, 'template.mjs'))
    const apis = browserApis({ auth: { signInFlow: 'USER_PASSWORD_AUTH' } })
    expect(apis.Auth.signIn({ username: 'u' })).toEqual({ input: { username: 'u' }, flow: 'USER_PASSWORD_AUTH' })
    expect(apis.Storage.list()).toBe('listed')
    expect(Object.keys(apis.Storage)).toEqual([...CLIENT_APIS.Storage])
    expect(() => apis.Storage.uploadData({ path: 'a', data: 'b' })).toThrow(
      `[nuxt-amplify-ssr] useAmplify().Storage.uploadData() is not in this browser build: no source file of the app names `
      + `"uploadData", so it was left out to keep the bundle small. Add 'Storage.uploadData' to amplify.clientApis in `
      + `nuxt.config (or set it to 'all').`)
    expect(() => apis.API.get({ apiName: 'a', path: '/' })).toThrow(/useAmplify\(\)\.API\.get\(\) is not in this browser build/)
  })
})
