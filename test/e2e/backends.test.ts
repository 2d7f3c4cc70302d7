// The local stand-ins must refuse what AWS would refuse, or the e2e tests that use them prove nothing.
import { createHash, createHmac } from 'node:crypto'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { SignatureV4 } from '@smithy/signature-v4'
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose'
import { BUCKET, startApisBackend } from '../backends/apis-backend.mjs'
import { REGION, signIn } from '../backends/cognito.mjs'
import { startIdentityPool } from '../backends/identity-pool.mjs'
import { USERS } from '../support/fixtures'

const cognito = inject('cognito')
const [alice] = USERS
const backend = await startApisBackend({ region: REGION, issuer: cognito.issuer, userPoolClientId: cognito.userPoolClientId })
afterAll(() => backend.stop())
const tokens = await signIn({ endpoint: cognito.endpoint, userPoolClientId: cognito.userPoolClientId }, alice.username, alice.password)
const provider = cognito.issuer.replace(/^https?:\/\//, '')

async function identityCall(endpoint: string, operation: string, input: object) {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${operation}` },
    body: JSON.stringify(input),
  })
  return { status: res.status, body: await res.json() }
}

async function credentials(logins?: Record<string, string>) {
  const pool = backend.identityPool
  const { body: { IdentityId } } = await identityCall(pool.endpoint, 'GetId', { IdentityPoolId: pool.identityPoolId, Logins: logins })
  const { body } = await identityCall(pool.endpoint, 'GetCredentialsForIdentity', { IdentityId, Logins: logins })
  return { accessKeyId: body.Credentials.AccessKeyId, secretAccessKey: body.Credentials.SecretKey, sessionToken: body.Credentials.SessionToken }
}

type SourceData = string | ArrayBuffer | ArrayBufferView

const bytes = (data: SourceData) => typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data)

class Sha256 {
  private hash
  constructor(secret?: SourceData) {
    this.hash = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256')
  }

  update(data: SourceData) {
    this.hash.update(bytes(data))
  }

  async digest() {
    return new Uint8Array(this.hash.digest())
  }
}

/** A request signed the way the AWS SDK signs it. */
async function signed(url: string, service: string, creds: Awaited<ReturnType<typeof credentials>>, init: { method?: string, body?: string, headers?: Record<string, string> } = {}) {
  const u = new URL(url)
  const signer = new SignatureV4({ service, region: REGION, credentials: creds, sha256: Sha256, uriEscapePath: service !== 's3' })
  const request = await signer.sign({
    method: init.method ?? 'GET',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    query: Object.fromEntries(u.searchParams),
    headers: { host: u.host, ...init.headers },
    body: init.body,
  })
  const { host: _, ...headers } = request.headers as Record<string, string>
  return { url, init: { method: request.method, headers, body: init.body } }
}

describe('local identity pool', () => {
  it('gives a signed-in user one identity, verified from the id token', async () => {
    const logins = { [provider]: tokens.IdToken }
    const first = await identityCall(backend.identityPool.endpoint, 'GetId', { IdentityPoolId: backend.identityPool.identityPoolId, Logins: logins })
    const again = await identityCall(backend.identityPool.endpoint, 'GetId', { IdentityPoolId: backend.identityPool.identityPoolId, Logins: logins })
    expect(first.body.IdentityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/)
    expect(again.body.IdentityId).toBe(first.body.IdentityId)
  })

  it('refuses an id token signed with another key, and an unknown provider', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    const forged = await new SignJWT(decodeJwt(tokens.IdToken)).setProtectedHeader(decodeProtectedHeader(tokens.IdToken) as { alg: string }).sign(privateKey)
    for (const logins of [{ [provider]: forged }, { 'elsewhere.example/pool': tokens.IdToken }]) {
      const res = await identityCall(backend.identityPool.endpoint, 'GetId', { IdentityPoolId: backend.identityPool.identityPoolId, Logins: logins })
      expect(res.status).toBe(400)
      expect(res.body.__type).toBe('NotAuthorizedException')
    }
  })

  it('refuses guests when guest access is off', async () => {
    const pool = await startIdentityPool({ allowGuest: false })
    try {
      const res = await identityCall(pool.endpoint, 'GetId', { IdentityPoolId: pool.identityPoolId })
      expect(res.body).toMatchObject({ __type: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' })
    }
    finally {
      await pool.stop()
    }
  })
})

describe('local REST API', () => {
  it('accepts a valid signature and knows the caller', async () => {
    const { url, init } = await signed(`${backend.rest.endpoint}/items`, 'execute-api', await credentials({ [provider]: tokens.IdToken }))
    const res = await fetch(url, init)
    expect(res.status).toBe(200)
    expect((await res.json()).caller).toMatchObject({ auth: 'iam', authenticated: true, username: alice.username })
  })

  it('refuses a tampered body, a wrong secret, no signature and a bad token', async () => {
    const creds = await credentials()
    const good = await signed(`${backend.rest.endpoint}/public/items`, 'execute-api', creds, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } })
    expect((await fetch(good.url, good.init)).status).toBe(200)
    expect((await fetch(good.url, { ...good.init, body: '{"a":2}' })).status).toBe(403)
    const wrongSecret = await signed(`${backend.rest.endpoint}/public/items`, 'execute-api', { ...creds, secretAccessKey: 'not-the-secret' })
    expect((await fetch(wrongSecret.url, wrongSecret.init)).status).toBe(403)
    const unsigned = await fetch(`${backend.rest.endpoint}/public/items`)
    expect([unsigned.status, (await unsigned.json()).message]).toEqual([403, 'Missing Authentication Token'])
    expect((await fetch(`${backend.rest.endpoint}/items`, { headers: { authorization: 'not-a-token' } })).status).toBe(401)
  })
})

describe('local GraphQL API', () => {
  const post = (headers: Record<string, string>) => fetch(backend.graphql!.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ whoami { auth } }' }) })

  it('answers 401 without auth, with a wrong API key or a forged token', async () => {
    expect((await post({})).status).toBe(401)
    expect((await post({ 'x-api-key': 'da2-wrong' })).status).toBe(401)
    expect((await post({ authorization: `${tokens.AccessToken.slice(0, -4)}AAAA` })).status).toBe(401)
    expect((await post({ authorization: tokens.AccessToken })).status).toBe(200)
  })
})

describe('local S3', () => {
  it('refuses a request signed with a wrong secret', async () => {
    const creds = await credentials()
    const host = `${BUCKET}.s3.${REGION}.amazonaws.com`
    backend.s3.seed(BUCKET, 'public/a.txt', 'a')
    for (const [secret, status] of [[creds.secretAccessKey, 200], ['wrong', 403]] as const) {
      const { init } = await signed(`https://${host}/public/a.txt`, 's3', { ...creds, secretAccessKey: secret }, { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } })
      // Sent to the local endpoint with the original host, as the router does.
      const res = await fetch(`${backend.s3.endpoint}/public/a.txt`, { headers: { ...init.headers, 'x-amz-original-host': host } })
      expect(res.status, secret).toBe(status)
    }
  })
})
