import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { amplifyGraphQLModules } from '../../../src/amplify-packages'

describe('amplifyGraphQLModules', () => {
  it('finds the ES entries of the GraphQL API and core that aws-amplify runs on', async () => {
    const modules = amplifyGraphQLModules(fileURLToPath(new URL('../../../src/runtime/app', import.meta.url)))!
    expect(modules.graphqlApi).toMatch(/node_modules\/@aws-amplify\/api-graphql\/dist\/esm\/index\.mjs$/)
    expect(modules.core).toMatch(/node_modules\/@aws-amplify\/core\/dist\/esm\/index\.mjs$/)
    // The very core whose global context Amplify.configure sets, and a GraphQL API that takes it.
    const [core, graphql, { Amplify }] = await Promise.all([import(modules.core), import(modules.graphqlApi), import('aws-amplify')])
    Amplify.configure({ API: { GraphQL: { endpoint: 'https://example.invalid/graphql', defaultAuthMode: 'apiKey', apiKey: 'k', region: 'eu-west-1' } } })
    expect(core.getGlobalContext().resourcesConfig.API.GraphQL.endpoint).toBe('https://example.invalid/graphql')
    expect(typeof graphql.GraphQLAPI.graphql).toBe('function')
  })

  it('gives up where aws-amplify cannot be found', () => {
    expect(amplifyGraphQLModules(join(mkdtempSync(join(tmpdir(), 'no-amplify-')), 'app'))).toBeUndefined()
  })
})
