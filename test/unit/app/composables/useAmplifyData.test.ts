import { beforeEach, describe, expect, it, vi } from 'vitest'

// The composable in the browser (import.meta.server is false under vitest), with the module's public config as the
// client plugin sees it: serverAuth on or off.
const config = vi.hoisted(() => ({ current: {} as Record<string, unknown> }))
vi.mock('#imports', () => ({ useRuntimeConfig: () => ({ public: { amplify: config.current } }), tryUseNuxtApp: () => undefined, useRequestEvent: () => undefined }))

const { useAmplifyData } = await import('../../../../src/runtime/app/composables/useAmplifyData')
// `unknown`: without a Schema, comparing the client's types is too deep for TypeScript.
const browserClient = (options?: Parameters<typeof useAmplifyData>[0]): unknown => useAmplifyData(options)

const resources = {
  Auth: { Cognito: { userPoolId: 'us-east-1_pool', userPoolClientId: 'client' } },
  API: { GraphQL: { endpoint: 'https://api.example.com/graphql', region: 'us-east-1', defaultAuthMode: 'userPool', modelIntrospection: { version: 1, models: {}, enums: {}, nonModels: {} } } },
}

describe('useAmplifyData() in the browser', () => {
  beforeEach(() => {
    config.current = { resources }
  })

  it('is Amplify\'s browser client, one per options', () => {
    const client = browserClient()
    expect(client).toHaveProperty('models')
    expect(browserClient()).toBe(client)
  })

  it('with serverAuth, refuses the user\'s modes with the reason and lets apiKey through', () => {
    config.current = { resources, serverAuth: { enabled: true } }
    expect(() => browserClient()).toThrow(/cannot sign requests as the user with amplify\.serverAuth/)
    expect(() => browserClient({ authMode: 'userPool' })).toThrow(/HttpOnly/)
    expect(browserClient({ authMode: 'apiKey' })).toHaveProperty('models')
  })
})
