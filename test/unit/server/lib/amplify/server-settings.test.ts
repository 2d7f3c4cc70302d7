import { describe, expect, it, vi } from 'vitest'
import type { H3Event } from 'h3'

// Nitro's runtime config as Workers give it: without a request, the environment (`NUXT_*` bindings) is not there yet.
const environment = vi.hoisted(() => ({ userPoolEndpoint: '' }))
vi.mock('nitropack/runtime', () => ({
  useRuntimeConfig: (event?: unknown) => ({
    public: {
      amplify: {
        resources: { Auth: { Cognito: { userPoolId: 'us-east-1_pool', userPoolClientId: 'client' } } },
        userPoolEndpoint: event ? environment.userPoolEndpoint : '',
        cookies: { path: '/' },
        auth: { loginPath: '/login' },
      },
    },
    amplify: { tokenIssuer: '', jwksUri: '', cacheControl: '' },
  }),
}))

const { useAmplifyServerSettings } = await import('../../../../../src/runtime/server/lib/amplify/server-settings')
const request = {} as H3Event

describe('useAmplifyServerSettings', () => {
  it('resolves again for the first request, and keeps the first request\'s', () => {
    environment.userPoolEndpoint = 'http://127.0.0.1:9229'
    const atStart = useAmplifyServerSettings()
    expect(atStart.verifier.issuer).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool')
    // Until a request comes (a WebSocket upgrade first), one verifier: its verdicts are remembered.
    expect(useAmplifyServerSettings()).toBe(atStart)

    const first = useAmplifyServerSettings(request)
    expect(first.verifier.issuer).toBe('http://127.0.0.1:9229/us-east-1_pool')
    // Kept: later callers, with or without a request, get the same settings (and the same verifier's caches).
    environment.userPoolEndpoint = 'http://127.0.0.1:1'
    expect(useAmplifyServerSettings()).toBe(first)
    expect(useAmplifyServerSettings(request)).toBe(first)
  })
})
