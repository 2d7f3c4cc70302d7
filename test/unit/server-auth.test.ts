import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { codeChallengeS256, createPkcePair, randomToken } from '../../src/runtime/server/lib/server-auth/hosted-ui/pkce'
import { challengeResponses, decodeChallenge, encodeChallenge, nextStepOf } from '../../src/runtime/server/lib/server-auth/challenges'
import { authorizeUrl, identityProviderName, logoutUrl } from '../../src/runtime/server/lib/server-auth/hosted-ui/endpoints'
import { serverAuthRuntimeConfig } from '../../src/server-auth'

describe('PKCE', () => {
  it('makes S256 challenges as RFC 7636 defines them', async () => {
    const { verifier, challenge } = await createPkcePair()
    expect(verifier).toMatch(/^[\w-]{43,128}$/)
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'))
    expect(await codeChallengeS256('a~b.c_d-e')).toBe(createHash('sha256').update('a~b.c_d-e').digest('base64url'))
  })

  it('never repeats a state', () => {
    const states = new Set(Array.from({ length: 1000 }, () => randomToken()))
    expect(states.size).toBe(1000)
    for (const state of states) expect(state).toMatch(/^[\w-]{43}$/)
  })
})

describe('Cognito challenges in Amplify\'s words', () => {
  const pending = { name: 'NEW_PASSWORD_REQUIRED', session: 'S', username: 'sub-1', loginId: 'a@example.com' }

  it('names the next step', () => {
    expect(nextStepOf({ ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: { requiredAttributes: '["userAttributes.name"]' } }))
      .toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED', missingAttributes: ['name'] })
    expect(nextStepOf({ ChallengeName: 'SMS_MFA', ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******1234' } }))
      .toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******1234' } })
    expect(nextStepOf({ ChallengeName: 'SOFTWARE_TOKEN_MFA' })).toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' })
    expect(nextStepOf({ ChallengeName: 'SELECT_MFA_TYPE', ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' } }))
      .toEqual({ signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP'] })
    expect(nextStepOf({ ChallengeName: 'CUSTOM_CHALLENGE' })).toBeUndefined()
  })

  it('builds the answer Cognito expects', () => {
    expect(challengeResponses(pending, 'New-passw0rd!', { name: 'Carol' }))
      .toEqual({ 'USERNAME': 'sub-1', 'NEW_PASSWORD': 'New-passw0rd!', 'userAttributes.name': 'Carol' })
    expect(challengeResponses({ ...pending, name: 'SMS_MFA' }, '123456')).toEqual({ USERNAME: 'sub-1', SMS_MFA_CODE: '123456' })
    expect(challengeResponses({ ...pending, name: 'SOFTWARE_TOKEN_MFA' }, '123456')).toEqual({ USERNAME: 'sub-1', SOFTWARE_TOKEN_MFA_CODE: '123456' })
    expect(challengeResponses({ ...pending, name: 'SELECT_MFA_TYPE' }, 'TOTP')).toEqual({ USERNAME: 'sub-1', ANSWER: 'SOFTWARE_TOKEN_MFA' })
  })

  it('reads back only an intact challenge cookie', () => {
    expect(decodeChallenge(encodeChallenge(pending))).toEqual(pending)
    for (const broken of [undefined, '', 'not json', '["a","b"]', '{"name":"x"}', '["", "S", "u", "l"]']) {
      expect(decodeChallenge(broken), String(broken)).toBeUndefined()
    }
  })
})

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

describe('serverAuth options', () => {
  it('is off by default and normalizes paths', () => {
    expect(serverAuthRuntimeConfig()).toMatchObject({ enabled: false, basePath: '/api/auth' })
    expect(serverAuthRuntimeConfig({ enabled: true, basePath: '/auth/', hostedUI: { scopes: ['openid', 'email'], logoutUrl: false } }))
      .toEqual({ enabled: true, basePath: '/auth', redirectSignIn: '', redirectSignOut: '', hostedUI: { domain: '', scopes: 'openid email', logoutUrl: false } })
  })

  it('refuses paths that are not site paths', () => {
    expect(() => serverAuthRuntimeConfig({ basePath: 'api/auth' })).toThrow(/basePath/)
    expect(() => serverAuthRuntimeConfig({ redirectSignOut: '//evil.example' })).toThrow(/redirectSignOut/)
  })
})
