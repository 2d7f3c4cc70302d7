// The copies of Amplify's inner packages that aws-amplify itself runs on, for imports that its public entries do not
// offer. Followed through aws-amplify's own dependencies (never the app's or this module's): the bundle then holds
// one copy of each, whatever the package manager's layout.
import { readFileSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** The ES module entry of `name` as the package at `from` (a file) would import it. */
function esmEntry(name: string, from: string): string {
  const manifest = createRequire(from).resolve(`${name}/package.json`)
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: { '.': { import: string } } }
  return realpathSync(join(dirname(manifest), exports['.'].import))
}

export interface AmplifyGraphQLModules {
  /** @aws-amplify/api-graphql, as @aws-amplify/api (aws-amplify/api) imports it: `GraphQLAPI`. */
  graphqlApi: string
  /** @aws-amplify/core, as aws-amplify imports it: `getGlobalContext`, the context `Amplify.configure` sets. */
  core: string
}

/** Where aws-amplify, as resolved from `from`, finds its GraphQL API and core; undefined if the layout is not the known one. */
export function amplifyGraphQLModules(from: string): AmplifyGraphQLModules | undefined {
  try {
    const amplify = esmEntry('aws-amplify', from)
    const api = esmEntry('@aws-amplify/api', amplify)
    return { graphqlApi: esmEntry('@aws-amplify/api-graphql', api), core: esmEntry('@aws-amplify/core', amplify) }
  }
  catch {
    return undefined
  }
}
