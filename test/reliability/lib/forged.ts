// Sessions an attacker can put in a browser's cookies: none may read as signed in.
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose'
import { createHmac } from 'node:crypto'
import { cognitoCall, signIn } from '../../backends/cognito.mjs'
import { cookieHeader, expiredTokens, resignWithEmulatorKey } from './sessions'
import type { Backend, TestUser, Tokens } from './sessions'

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const parts = (token: string) => token.split('.') as [string, string, string]

/** Foreign sessions that are genuine elsewhere: another pool (same emulator key, other issuer), another client. */
export interface ForeignBackends {
  /** Signs `username` in to a second pool, creating the same username there. */
  otherPool: (username: string) => Promise<Tokens>
  /** Signs `user` in to the same pool through another app client. */
  otherClient: (user: TestUser) => Promise<Tokens>
}

export async function foreignBackends(backend: Backend): Promise<ForeignBackends> {
  const { UserPool } = await cognitoCall(backend.emulatorUrl, 'CreateUserPool', { PoolName: `other-pool-${Date.now()}` })
  const { UserPoolClient: poolClient } = await cognitoCall(backend.emulatorUrl, 'CreateUserPoolClient', {
    UserPoolId: UserPool.Id, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })
  const { UserPoolClient: otherClient } = await cognitoCall(backend.emulatorUrl, 'CreateUserPoolClient', {
    UserPoolId: backend.userPoolId, ClientName: `other-client-${Date.now()}`, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })
  return {
    async otherPool(username) {
      const password = 'Other-pool-passw0rd!'
      await cognitoCall(backend.emulatorUrl, 'AdminCreateUser', {
        UserPoolId: UserPool.Id, Username: username, MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: username }, { Name: 'email_verified', Value: 'true' }],
      }).catch((error: Error) => {
        if (error.name !== 'UsernameExistsException') throw error
      })
      await cognitoCall(backend.emulatorUrl, 'AdminSetUserPassword', { UserPoolId: UserPool.Id, Username: username, Password: password, Permanent: true })
      return signIn({ ...backend, userPoolClientId: poolClient.ClientId }, username, password) as Promise<Tokens>
    },
    otherClient: user => signIn({ ...backend, userPoolClientId: otherClient.ClientId }, user.username, user.password) as Promise<Tokens>,
  }
}

/**
 * Every kind of forged session for `victim`, as Cookie headers under the app's client id, keyed by a description.
 * `attacker` is a real user of the same pool whose genuine session the forger starts from where that helps.
 */
export async function forgedSessions(backend: Backend, foreign: ForeignBackends, victim: TestUser, attacker: TestUser): Promise<Record<string, string>> {
  const clientId = backend.userPoolClientId
  const real = victim.tokens
  const session = (tokens: Tokens) => cookieHeader(clientId, tokens, victim.username)
  const victimClaims = (token: string) => decodeJwt(token)
  const header = (token: string) => decodeProtectedHeader(token)
  const { privateKey } = await generateKeyPair('RS256')
  const ownKey = (token: string, kid = header(token).kid) =>
    new SignJWT(victimClaims(token)).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey)
  // The attacker's genuine token with the victim's identity written into the payload, signature kept.
  const tampered = (token: string) => {
    const [h, p, s] = parts(token)
    const claims = { ...JSON.parse(Buffer.from(p, 'base64url').toString()), 'username': victim.username, 'cognito:username': victim.username, 'sub': victim.sub, 'email': victim.username }
    return `${h}.${b64(claims)}.${s}`
  }
  const algNone = (token: string) => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(victimClaims(token))}.`
  // Key confusion: HS256 with the pool's public key as the HMAC secret.
  const jwks = await (await fetch(backend.jwksUri)).json() as { keys: object[] }
  const hs256 = (token: string) => {
    const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: header(token).kid })}.${b64(victimClaims(token))}`
    return `${signingInput}.${createHmac('sha256', JSON.stringify(jwks.keys[0])).update(signingInput).digest('base64url')}`
  }
  const otherPool = await foreign.otherPool(victim.username)
  const otherClient = await foreign.otherClient(victim)
  const expiredNoRefresh = await expiredTokens(real, false)
  const expired = await expiredTokens(real)

  return {
    'signed with another RSA key (same kid)': session({ AccessToken: await ownKey(real.AccessToken), IdToken: await ownKey(real.IdToken) }),
    'signed with another RSA key (unknown kid)': session({ AccessToken: await ownKey(real.AccessToken, 'attacker'), IdToken: await ownKey(real.IdToken, 'attacker') }),
    'alg none': session({ AccessToken: algNone(real.AccessToken), IdToken: algNone(real.IdToken) }),
    'alg HS256 keyed with the public JWK': session({ AccessToken: hs256(real.AccessToken), IdToken: hs256(real.IdToken) }),
    'attacker\'s token, payload rewritten to the victim': session({ AccessToken: tampered(attacker.tokens.AccessToken), IdToken: tampered(attacker.tokens.IdToken) }),
    'genuine token of another pool (same key, other issuer)': session(otherPool),
    'genuine token of another app client': session(otherClient),
    'id token in the access-token cookie': session({ AccessToken: real.IdToken, IdToken: real.IdToken }),
    'access token in the id-token cookie too': session({ AccessToken: real.IdToken, IdToken: real.AccessToken }),
    'expired (correctly signed), no refresh token': session(expiredNoRefresh),
    'expired (correctly signed), forged refresh token': session({ ...expired, RefreshToken: `${real.RefreshToken!.slice(0, -8)}AAAAAAAA` }),
    'expired, token_use rewritten and re-signed by the pool key': session({ AccessToken: await resignWithEmulatorKey(expiredNoRefresh.AccessToken, { token_use: 'id' }), IdToken: expiredNoRefresh.IdToken }),
    'truncated signature': session({ AccessToken: real.AccessToken.slice(0, -10), IdToken: real.IdToken.slice(0, -10) }),
    'header and payload only': session({ AccessToken: parts(real.AccessToken).slice(0, 2).join('.'), IdToken: parts(real.IdToken).slice(0, 2).join('.') }),
    'cut in the middle of the payload': session({ AccessToken: real.AccessToken.slice(0, real.AccessToken.indexOf('.') + 20), IdToken: real.IdToken.slice(0, 60) }),
  }
}
