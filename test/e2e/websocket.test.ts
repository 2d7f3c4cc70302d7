// Nitro WebSocket routes (crossws) that know their user: the basic fixture's `/_ws` and `/_ws-staff`, built and served
// by Node, opened by a real WebSocket client (`ws`: undici's WebSocket cannot send a Cookie header) with the
// emulator's sessions.
import { afterEach, describe, expect, inject, it } from 'vitest'
import { getServerLogs, setup, url } from '@nuxt/test-utils/e2e'
import { decodeJwt } from 'jose'
import WebSocket from 'ws'
import { browserCookies, cognitoCall } from '../backends/cognito.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS } from '../support/fixtures'
import { expiredCopy } from '../support/tokens'

const cognito = inject('cognito')
const [alice, bob] = USERS as [typeof USERS[0], typeof USERS[0]]
const staff = { username: 'ws-staff@example.com', password: 'WsStaff-passw0rd!' }

await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('basic'),
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint },
})

type Tokens = { AccessToken: string, IdToken: string, RefreshToken: string }

async function tokensFor(user: { username: string, password: string }): Promise<Tokens> {
  const { AuthenticationResult } = await cognitoCall(cognito.endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: cognito.userPoolClientId,
    AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
  })
  return AuthenticationResult
}

/** Past the proxy, straight to the emulator; a second run finds the user and the group already there. */
const adminCall = (operation: string, input: object) =>
  cognitoCall(cognito.emulatorUrl, operation, { UserPoolId: cognito.userPoolId, ...input }).catch((error: Error) => {
    if (!/Exists/.test(error.name)) throw error
  })

await adminCall('CreateGroup', { GroupName: 'ws-staff' })
await adminCall('AdminCreateUser', {
  Username: staff.username,
  MessageAction: 'SUPPRESS',
  UserAttributes: [{ Name: 'email', Value: staff.username }, { Name: 'email_verified', Value: 'true' }],
})
await adminCall('AdminSetUserPassword', { Username: staff.username, Password: staff.password, Permanent: true })
await adminCall('AdminAddUserToGroup', { Username: staff.username, GroupName: 'ws-staff' })

const tokens = { alice: await tokensFor(alice), bob: await tokensFor(bob), staff: await tokensFor(staff) }
const cookieOf = (t: Tokens) => browserCookies(cognito.userPoolClientId, t)
const subOf = (t: Tokens) => decodeJwt(t.IdToken).sub

const MESSAGE_TIMEOUT_MS = 10_000

interface OpenSocket {
  socket: WebSocket
  /** The handshake's `Set-Cookie` headers. */
  setCookies: string[]
  /** The next message, parsed; rejects after a bounded wait. */
  next(): Promise<Record<string, unknown>>
}

const sockets: WebSocket[] = []
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate()
})

/** Opens `path` with `cookie`: the open socket, or the handshake's refusal as `{ status }`. */
function connect(path: string, cookie?: string): Promise<OpenSocket | { status: number }> {
  const socket = new WebSocket(url(path).replace(/^http/, 'ws'), { headers: cookie ? { cookie } : {} })
  sockets.push(socket)
  const queue: Record<string, unknown>[] = []
  const waiting: ((message: Record<string, unknown>) => void)[] = []
  socket.on('message', (data) => {
    const message = JSON.parse(String(data))
    const waiter = waiting.shift()
    if (waiter) waiter(message)
    else queue.push(message)
  })
  const next = () => {
    const queued = queue.shift()
    if (queued) return Promise.resolve(queued)
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no message on ${path} within ${MESSAGE_TIMEOUT_MS} ms`)), MESSAGE_TIMEOUT_MS)
      waiting.push((message) => {
        clearTimeout(timer)
        resolve(message)
      })
    })
  }
  return new Promise((resolve, reject) => {
    let setCookies: string[] = []
    socket.on('upgrade', (res) => {
      setCookies = [res.headers['set-cookie'] ?? []].flat()
    })
    socket.on('open', () => resolve({ socket, setCookies, next }))
    socket.on('unexpected-response', (_, res) => {
      resolve({ status: res.statusCode ?? 0 })
      res.resume()
      socket.terminate()
    })
    socket.on('error', reject)
  })
}

async function open(path: string, cookie?: string): Promise<OpenSocket> {
  const result = await connect(path, cookie)
  if ('status' in result) throw new Error(`${path} refused with ${result.status}`)
  return result
}

async function refusal(path: string, cookie?: string): Promise<number> {
  const result = await connect(path, cookie)
  if (!('status' in result)) throw new Error(`${path} opened`)
  return result.status
}

describe('websocket: the upgrade request', () => {
  it('opens for a signed-in user, who is told their username and groups', async () => {
    const { next, setCookies } = await open('/_ws', cookieOf(tokens.alice))
    expect(await next()).toEqual({ type: 'hello', username: alice.username, groups: [] })
    // A valid session needs no refresh: the handshake writes no cookie.
    expect(setCookies).toEqual([])
  })

  it('refuses a signed-out client with 401', async () => {
    expect(await refusal('/_ws')).toBe(401)
  })

  it('refuses forged or malformed cookies with 401, and keeps serving', async () => {
    const claims = decodeJwt(tokens.alice.AccessToken)
    const [header, , signature] = tokens.alice.AccessToken.split('.')
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: subOf(tokens.bob) })).toString('base64url')}.${signature}`
    const prefix = `CognitoIdentityServiceProvider.${cognito.userPoolClientId}`
    const forged = [
      browserCookies(cognito.userPoolClientId, { ...tokens.alice, AccessToken: tampered }),
      browserCookies(cognito.userPoolClientId, { AccessToken: 'not-a-jwt', IdToken: 'also.not.a-jwt' }, alice.username),
      `${prefix}.LastAuthUser=%E0%A4%A; ${prefix}.%E0%A4%A.accessToken=%ZZ`,
      `${prefix}.LastAuthUser=${'x'.repeat(4000)}`,
    ]
    for (const cookie of forged) expect(await refusal('/_ws', cookie)).toBe(401)
    const { next } = await open('/_ws', cookieOf(tokens.alice))
    expect(await next()).toMatchObject({ username: alice.username })
    const logs = (await getServerLogs()).map(line => JSON.stringify(line)).join('\n')
    expect(logs).not.toMatch(/unhandled|Amplify call failed/i)
  })

  it('refuses a user outside the socket\'s group with 403, and opens for a member', async () => {
    expect(await refusal('/_ws-staff', cookieOf(tokens.alice))).toBe(403)
    expect(await refusal('/_ws-staff')).toBe(401)
    const { next } = await open('/_ws-staff', cookieOf(tokens.staff))
    expect(await next()).toEqual({ type: 'hello', username: staff.username, groups: ['ws-staff'] })
  })

  it('refreshes an expired session during the handshake and sends the new tokens with the 101', async () => {
    const expired = browserCookies(cognito.userPoolClientId, {
      AccessToken: await expiredCopy(tokens.alice.AccessToken),
      IdToken: await expiredCopy(tokens.alice.IdToken),
      RefreshToken: tokens.alice.RefreshToken,
    })
    // The emulator's call counts are shared with the e2e files running beside this one (sessions.test.ts resets and
    // asserts them): one refresh per session is proven there, on the same code; here, the tokens written.
    const { next, socket, setCookies } = await open('/_ws', expired)
    const written = setCookies.filter(line => line.includes('.accessToken='))
    expect(written).toHaveLength(1)
    const accessToken = decodeURIComponent(written[0]!.slice(written[0]!.indexOf('=') + 1, written[0]!.indexOf(';')))
    expect(decodeJwt(accessToken).exp! * 1000).toBeGreaterThan(Date.now())
    expect(await next()).toMatchObject({ username: alice.username })
    // The socket goes on with the refreshed tokens, not with the expired ones of its handshake.
    socket.send('after refresh')
    expect(await next()).toEqual({ type: 'echo', userId: subOf(tokens.alice), text: 'after refresh' })
  })
})

describe('websocket: the peer', () => {
  it('knows the user of each message', async () => {
    const { next, socket } = await open('/_ws', cookieOf(tokens.alice))
    await next()
    socket.send('hello there')
    expect(await next()).toEqual({ type: 'echo', userId: subOf(tokens.alice), text: 'hello there' })
  })

  it('runs Amplify server APIs with the socket\'s session (runAmplifyApi)', async () => {
    const [a, b] = await Promise.all([open('/_ws', cookieOf(tokens.alice)), open('/_ws', cookieOf(tokens.bob))])
    await Promise.all([a.next(), b.next()])
    a.socket.send('attributes')
    b.socket.send('attributes')
    expect(await a.next()).toEqual({ type: 'attributes', email: alice.username })
    expect(await b.next()).toEqual({ type: 'attributes', email: bob.username })
  })

  it('keeps two users on two sockets apart, messages interleaved', async () => {
    const [a, b] = await Promise.all([open('/_ws', cookieOf(tokens.alice)), open('/_ws', cookieOf(tokens.bob))])
    expect(await a.next()).toMatchObject({ username: alice.username })
    expect(await b.next()).toMatchObject({ username: bob.username })
    for (let round = 0; round < 5; round++) {
      a.socket.send(`a${round}`)
      b.socket.send(`b${round}`)
    }
    const [fromA, fromB] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => a.next())),
      Promise.all(Array.from({ length: 5 }, () => b.next())),
    ])
    expect(fromA).toEqual(Array.from({ length: 5 }, (_, round) => ({ type: 'echo', userId: subOf(tokens.alice), text: `a${round}` })))
    expect(fromB).toEqual(Array.from({ length: 5 }, (_, round) => ({ type: 'echo', userId: subOf(tokens.bob), text: `b${round}` })))
  })
})
