// Build-time half of the browser's `useAmplify()`: an object literal of every API keeps all of them in the bundle
// (a bundler cannot drop unused properties), so #amplify-client-apis is written with only those the app names.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve as resolvePath } from 'node:path'
import { addTemplate, addTypeTemplate, isIgnored } from '@nuxt/kit'
import type { Nuxt, NuxtApp } from '@nuxt/schema'
import { amplifyGraphQLModules } from './amplify-packages'
import type { AmplifyGraphQLModules } from './amplify-packages'

export const CLIENT_APIS = {
  Auth: ['getCurrentUser', 'fetchUserAttributes', 'fetchAuthSession', 'signIn', 'confirmSignIn', 'signOut'],
  API: ['get', 'post', 'put', 'del', 'head', 'patch', 'graphql'],
  Storage: ['list', 'getUrl', 'getProperties', 'copy', 'remove', 'uploadData', 'downloadData'],
} as const

type Category = keyof typeof CLIENT_APIS
export type ClientApiName = { [C in Category]: `${C}.${typeof CLIENT_APIS[C][number]}` }[Category]
export type ClientApisOption = 'used' | 'all' | ClientApiName[]

const ALL = Object.entries(CLIENT_APIS).flatMap(([category, names]) => names.map(name => `${category}.${name}` as ClientApiName))
// No name is in two categories, so a bare name says which API it is.
const BY_NAME = new Map(ALL.map(api => [api.slice(api.indexOf('.') + 1), api]))
const NAME_RE = new RegExp(`\\b(?:${[...BY_NAME.keys()].join('|')})\\b`, 'g')

/** The APIs whose names occur as words in `text`: any occurrence counts, as a call may go through a variable. */
export function apisNamedIn(text: string): ClientApiName[] {
  return [...new Set(text.match(NAME_RE))].map(name => BY_NAME.get(name)!)
}

const SOURCE_RE = /\.(?:vue|[cm]?[jt]sx?)$/
// Built or installed code is no source of the app.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.nuxt', '.output', '.git'])

/** Source files under `roots` (directories or files), each once; `ignored` as Nuxt's `ignore` option says. */
export function sourceFiles(roots: Iterable<string>, ignored: (path: string) => boolean = () => false): string[] {
  const files = new Set<string>()
  const seen = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path) || ignored(path)) return
    seen.add(path)
    let entries: string[]
    try {
      if (!statSync(path).isDirectory()) {
        if (SOURCE_RE.test(path)) files.add(path)
        return
      }
      entries = readdirSync(path)
    }
    catch {
      // Absent (a layer without `shared/`), or unreadable: nothing there to scan.
      return
    }
    for (const entry of entries) {
      if (!SKIPPED_DIRS.has(entry)) visit(join(path, entry))
    }
  }
  for (const root of roots) visit(resolvePath(root))
  return [...files]
}

/** The APIs the browser build offers: every one in development, else those named in `files` and those the option lists. */
export function selectClientApis(option: ClientApisOption | undefined, dev: boolean, files: () => string[]): Set<ClientApiName> {
  if (dev || option === 'all') return new Set(ALL)
  if (option !== undefined && option !== 'used' && !Array.isArray(option)) {
    throw new Error(`[nuxt-amplify-ssr] amplify.clientApis must be 'used', 'all' or a list such as ['Storage.uploadData'], got ${JSON.stringify(option)}.`)
  }
  const unknown = Array.isArray(option) ? option.filter(api => !ALL.includes(api)) : []
  if (unknown.length) {
    throw new Error(`[nuxt-amplify-ssr] amplify.clientApis: unknown ${unknown.map(api => `"${api}"`).join(', ')}; the APIs are ${ALL.join(', ')}.`)
  }
  const selected = new Set<ClientApiName>(Array.isArray(option) ? option : [])
  for (const file of files()) {
    for (const api of apisNamedIn(readFileSync(file, 'utf8'))) selected.add(api)
  }
  return selected
}

/**
 * #amplify-client-apis: `browserApis(config)` builds `useAmplify()`'s objects from the selected APIs only, a left-out
 * one throwing when called. With `serverAuth`, Auth is the module's auth routes and none of Amplify's Auth APIs.
 */
export function clientApisTemplate(selected: Set<ClientApiName>, serverAuth: boolean, runtimeDir: string, graphql?: AmplifyGraphQLModules): string {
  const from = (path: string) => JSON.stringify(join(runtimeDir, path))
  const imports: string[] = []
  // With Amplify's GraphQL API at hand, API.graphql calls it rather than a client of generateClient().
  const direct = graphql && selected.has('API.graphql')
  if (direct) {
    imports.push(`import { GraphQLAPI } from ${JSON.stringify(graphql.graphqlApi)}`)
    imports.push(`import { getGlobalContext } from ${JSON.stringify(graphql.core)}`)
    imports.push(`import { graphqlThrough } from ${from('app/utils/browser-api')}`)
  }
  const category = (name: Category, file: string) => {
    const names: readonly string[] = CLIENT_APIS[name]
    const used = names.filter(api => selected.has(`${name}.${api}` as ClientApiName) && !(direct && api === 'graphql'))
    if (used.length) imports.push(`import { ${used.map(api => `${api} as ${name}_${api}`).join(', ')} } from ${from(file)}`)
    const members = names.map((api) => {
      if (direct && name === 'API' && api === 'graphql') return 'graphql: graphqlThrough(GraphQLAPI, getGlobalContext)'
      if (!used.includes(api)) return `${api}: leftOutClientApi('${name}.${api}')`
      return api === 'signIn' ? `signIn: input => Auth_signIn(input, config.auth.signInFlow)` : `${api}: ${name}_${api}`
    })
    return `{\n      ${members.join(',\n      ')},\n    }`
  }
  const auth = serverAuth ? 'createServerAuthClient(config.serverAuth.basePath, useAmplifyUser())' : category('Auth', 'app/utils/browser-auth')
  const api = category('API', 'app/utils/browser-api')
  const storage = category('Storage', 'app/utils/browser-storage')
  if (serverAuth) {
    imports.push(`import { createServerAuthClient } from ${from('app/utils/server-auth-client')}`)
    imports.push(`import { useAmplifyUser } from ${from('app/composables/useAmplifyUser')}`)
  }
  if (selected.size < ALL.length) imports.push(`import { leftOutClientApi } from ${from('app/utils/left-out-client-api')}`)
  return `${imports.join('\n')}

// A constant, so that the bundler drops the browser session code of the mode not built.
export const serverAuthEnabled = ${serverAuth}

export function browserApis(config) {
  return {
    Auth: ${auth},
    API: ${api},
    Storage: ${storage},
  }
}
`
}

/** The roots whose files may call `useAmplify()` in the browser: every layer's sources, and what Nuxt adds from elsewhere. */
function appSourceRoots(nuxt: Nuxt, app: NuxtApp, componentDirs: string[], importDirs: string[], runtimeDir: string): string[] {
  const roots = nuxt.options._layers.flatMap(layer => [
    layer.config.srcDir,
    join(layer.config.rootDir, 'app.vue'),
    join(layer.config.rootDir, 'shared'),
    join(layer.config.rootDir, 'layers'),
  ])
  const appFiles = [
    app.rootComponent, app.mainComponent, app.errorComponent,
    ...app.plugins.map(plugin => plugin.src),
    ...app.middleware.map(middleware => middleware.path),
    ...Object.values(app.layouts).map(layout => layout.file),
  ]
  // What installed modules add is not the app's (a module calling APIs lists them in the option); a layer is,
  // wherever it is installed. Nor is this module's own runtime, which names every API.
  const added = [...componentDirs, ...importDirs, ...appFiles].filter(path => !path?.includes('node_modules'))
  return [...roots, ...added].filter((root): root is string =>
    !!root && !root.startsWith(nuxt.options.buildDir) && !root.startsWith(runtimeDir))
}

export function addClientApis(option: ClientApisOption | undefined, serverAuth: boolean, runtimeDir: string, nuxt: Nuxt) {
  // The arrays themselves: hooks of other modules that run after this one may still add to them.
  let componentDirs: (string | { path: string })[] = []
  let importDirs: string[] = []
  nuxt.hook('components:dirs', (dirs) => {
    componentDirs = dirs
  })
  nuxt.hook('imports:dirs', (dirs) => {
    importDirs = dirs
  })
  const template = addTemplate({
    filename: 'amplify-client-apis.mjs',
    getContents: ({ app }) => {
      const selected = selectClientApis(option, nuxt.options.dev || !!nuxt.options._prepare, () =>
        sourceFiles(appSourceRoots(nuxt, app, componentDirs.map(dir => typeof dir === 'string' ? dir : dir.path), importDirs, runtimeDir), path =>
          path === nuxt.options.buildDir || isIgnored(path, undefined, nuxt)))
      // Not in development: there Vite serves aws-amplify pre-bundled, with copies of its own of these packages.
      const graphql = nuxt.options.dev ? undefined : amplifyGraphQLModules(join(runtimeDir, 'app'))
      return clientApisTemplate(selected, serverAuth, runtimeDir, graphql)
    },
  })
  nuxt.options.alias['#amplify-client-apis'] = template.dst
  addTypeTemplate({
    filename: 'types/nuxt-amplify-ssr-client-apis.d.ts',
    getContents: () => `declare module '#amplify-client-apis' {
  import type { AmplifyAPI } from '${join(runtimeDir, 'app/utils/amplify-api')}'
  import type { AmplifyAuth } from '${join(runtimeDir, 'app/utils/amplify-auth')}'
  import type { AmplifyStorage } from '${join(runtimeDir, 'app/utils/amplify-storage')}'
  import type { AmplifyPublicRuntimeConfig } from '${join(runtimeDir, 'shared/config')}'
  export const serverAuthEnabled: boolean
  export function browserApis(config: AmplifyPublicRuntimeConfig): { Auth: AmplifyAuth, API: AmplifyAPI, Storage: AmplifyStorage }
}
`,
  }, { nuxt: true })
}
