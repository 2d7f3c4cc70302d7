import { describe, expect, it } from 'vitest'
import { authorizeUrl, identityProviderName, logoutUrl } from '../../../../../../src/runtime/server/lib/server-auth/hosted-ui/endpoints'

describe('Hosted UI URLs', () => {
  const hostedUI = { domain: 'https://auth.example.com', scopes: 'openid email', logoutUrl: 'https://auth.example.com/logout' }

  it('asks for a code with S256 PKCE, and maps provider names', () => {
    const url = new URL(authorizeUrl(hostedUI, 'sign-in', { clientId: 'c', redirectUri: 'https://app.example/api/auth/callback', state: 's', codeChallenge: 'x', identityProvider: identityProviderName('apple') }))
    expect(url.origin + url.pathname).toBe('https://auth.example.com/oauth2/authorize')
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'c',
      redirect_uri: 'https://app.example/api/auth/callback',
      scope: 'openid email',
      state: 's',
      code_challenge: 'x',
      code_challenge_method: 'S256',
      identity_provider: 'SignInWithApple',
    })
    expect(new URL(authorizeUrl(hostedUI, 'sign-up', { clientId: 'c', redirectUri: 'r', state: 's', codeChallenge: 'x' })).pathname).toBe('/signup')
    expect(identityProviderName('MyCorpSAML')).toBe('MyCorpSAML')
    expect(identityProviderName('x&y=z')).toBeUndefined()
  })

  it('logs out through the Hosted UI only when it has a logout URL', () => {
    expect(logoutUrl(hostedUI, 'c', 'https://app.example/')).toBe('https://auth.example.com/logout?client_id=c&logout_uri=https%3A%2F%2Fapp.example%2F')
    expect(logoutUrl({ ...hostedUI, logoutUrl: undefined }, 'c', 'https://app.example/')).toBeUndefined()
  })
})
