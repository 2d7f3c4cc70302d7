import { describe, expect, it } from 'vitest'
import { buildSessionReport } from '../../../src/runtime/devtools/report'
import { createTokenVerifier } from '../../../src/runtime/server/lib/tokens/token-verifier'

// No token here decodes, so the verifier is never asked: nothing needs to listen at the issuer.
const clientId = 'client1'
const issuer = 'http://127.0.0.1:9/local_pool'
const verifier = createTokenVerifier({ issuer, jwksUri: `${issuer}/.well-known/jwks.json`, clientId })
const report = (cookieHeader: string) =>
  buildSessionReport({ cookieHeader, userPoolClientId: clientId, verify: verifier.verify, config: {} })

describe('devtools session report', () => {
  it('measures Amplify\'s cookies as the browser stores them and flags those over 4 KB', async () => {
    const prefix = `CognitoIdentityServiceProvider.${clientId}`
    const big = 'x'.repeat(4100)
    const header = [
      `${prefix}.LastAuthUser=carol%40example.com`,
      `${prefix}.carol%40example.com.signInDetails=${big}`,
      'com.amplify.Cognito.us-east-1%3Aabc.identityId=us-east-1%3A123',
      'theme=dark',
    ].join('; ')
    const { cookies, lastAuthUser, cookieHeaderSize } = await report(header)

    expect(lastAuthUser).toBe('carol@example.com')
    expect(cookies).toEqual([
      { name: `${prefix}.LastAuthUser`, size: `${prefix}.LastAuthUser`.length + 'carol%40example.com'.length, overLimit: false },
      { name: `${prefix}.carol@example.com.signInDetails`, size: `${prefix}.carol%40example.com.signInDetails`.length + 4100, overLimit: true },
      { name: 'com.amplify.Cognito.us-east-1:abc.identityId', size: 'com.amplify.Cognito.us-east-1%3Aabc.identityId'.length + 'us-east-1%3A123'.length, overLimit: false },
    ])
    expect(cookieHeaderSize).toBe(header.length)
  })

  it('says what is wrong with the tokens without showing them', async () => {
    const prefix = `CognitoIdentityServiceProvider.${clientId}.dave`
    const { tokens } = await report(`${prefix.replace('.dave', '')}.LastAuthUser=dave; ${prefix}.accessToken=not-a-jwt`)
    expect(tokens).toEqual({ access: { status: 'malformed' }, id: { status: 'absent' }, refresh: { present: false } })
  })
})
