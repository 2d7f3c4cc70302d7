import { describe, expect, it } from 'vitest'
import { assertBrowserAuthMode, browserDataClient } from '../../../../src/runtime/app/utils/amplify-data'

describe('useAmplifyData() in the browser with serverAuth (HttpOnly tokens)', () => {
  it('refuses the modes that sign as the user, with what to do instead', () => {
    for (const options of [{}, { authMode: 'userPool' as const }, { authMode: 'iam' as const }, { authMode: 'oidc' as const }]) {
      expect(() => assertBrowserAuthMode(options)).toThrow(/cannot sign requests as the user with amplify\.serverAuth.*getAmplifyDataClient\(event\)/)
    }
  })

  it('lets the modes that need no user token through', () => {
    expect(() => assertBrowserAuthMode({ authMode: 'apiKey' })).not.toThrow()
    expect(() => assertBrowserAuthMode({ authMode: 'lambda', authToken: 'token' })).not.toThrow()
  })
})

describe('the browser client', () => {
  it('names the missing data config instead of failing inside Amplify', () => {
    expect(() => browserDataClient({ Auth: { Cognito: { userPoolId: 'p', userPoolClientId: 'c' } } })).toThrow(/has no data API/)
  })
})
