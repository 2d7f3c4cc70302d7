import { describe, expect, it } from 'vitest'
import { regionOfPool, resolveResources } from '../../../src/runtime/shared/config'
import type { AmplifyPublicRuntimeConfig } from '../../../src/runtime/shared/config'

const base = (resources: object, overrides: Partial<AmplifyPublicRuntimeConfig> = {}) =>
  ({ resources, ...overrides }) as AmplifyPublicRuntimeConfig

describe('resolveResources', () => {
  const cognito = { userPoolId: 'eu-west-1_abc', userPoolClientId: 'client' }

  it('keeps a complete config', () => {
    expect(resolveResources(base({ Auth: { Cognito: cognito } })).Auth?.Cognito).toEqual(cognito)
  })

  it('applies run-time overrides over build-time values', () => {
    const resolved = resolveResources(base({ Auth: { Cognito: cognito } }, {
      userPoolId: 'us-east-1_other',
      userPoolEndpoint: 'http://127.0.0.1:9229',
      userPoolClientId: '',
    }))
    expect(resolved.Auth?.Cognito).toMatchObject({ userPoolId: 'us-east-1_other', userPoolClientId: 'client', userPoolEndpoint: 'http://127.0.0.1:9229' })
  })

  it('names the missing field', () => {
    expect(() => resolveResources(base({}))).toThrow(/Auth\.Cognito\.userPoolId/)
    expect(() => resolveResources(base({ Auth: { Cognito: { userPoolId: 'x_y' } } }))).toThrow(/userPoolClientId/)
  })

  it('refuses an endpoint that is not a URL', () => {
    expect(() => resolveResources(base({ Auth: { Cognito: { ...cognito, userPoolEndpoint: 'localhost:9229' } } })))
      .toThrow(/userPoolEndpoint` must be an http\(s\) URL/)
  })

  it('drops an empty identity pool id rather than passing it to Amplify', () => {
    expect(resolveResources(base({ Auth: { Cognito: { ...cognito, identityPoolId: '' } } })).Auth?.Cognito).not.toHaveProperty('identityPoolId')
  })
})

describe('regionOfPool', () => {
  it('reads the region from an AWS pool id and none from an emulator pool id', () => {
    expect(regionOfPool('eu-west-1_abc')).toBe('eu-west-1')
    expect(regionOfPool('local_abc')).toBeUndefined()
    expect(regionOfPool(undefined)).toBeUndefined()
  })
})
