import { describe, expect, it } from 'vitest'
import { readSession } from '../../../../../src/runtime/server/lib/session/read-session'
import { createCookieJar } from '../../../../../src/runtime/server/lib/session/cookie-jar'
import { eventWith, sessionCookieHeader, useLocalPool } from '../../../../support/unit'

const local = useLocalPool()

const jarFor = (header: string) => createCookieJar(eventWith(header), { path: '/', sameSite: 'lax' })
const read = (header: string) => readSession(jarFor(header), local.pool.clientId, local.verifier)

describe('readSession', () => {
  it('reads a verified session as Amplify\'s getCurrentUser would, synchronously once its tokens are known', async () => {
    const header = sessionCookieHeader(local.pool.clientId, 'a@b.com', {
      accessToken: await local.pool.accessToken('sub-1'),
      idToken: await local.pool.idToken('sub-1'),
      signInDetails: JSON.stringify({ loginId: 'a@b.com', authFlowType: 'USER_SRP_AUTH' }),
    })
    const first = read(header)
    expect(first).toBeInstanceOf(Promise)
    const signInDetails = { loginId: 'a@b.com', authFlowType: 'USER_SRP_AUTH' }
    // With the claims it was read from: the session's groups and claims are then no second look-up.
    const tokens = { access: expect.objectContaining({ sub: 'sub-1', token_use: 'access' }), id: expect.objectContaining({ sub: 'sub-1', token_use: 'id' }) }
    const expected = { user: { username: 'sub-1-name', userId: 'sub-1', signInDetails }, tokens }
    expect(await first).toEqual(expected)
    const second = read(header)
    expect(second).not.toBeInstanceOf(Promise)
    expect(second).toEqual(expected)
  })

  it('hands every user a copy of signInDetails: one request changing it cannot reach the next', async () => {
    const header = sessionCookieHeader(local.pool.clientId, 'c', {
      accessToken: await local.pool.accessToken('sub-c'),
      idToken: await local.pool.idToken('sub-c'),
      signInDetails: JSON.stringify({ loginId: 'c' }),
    })
    const first = await read(header)
    first!.user!.signInDetails!.loginId = 'changed'
    expect((await read(header))?.user?.signInDetails).toEqual({ loginId: 'c' })
  })

  it('is signed out without any cookie of the app client, and leaves the rest to Amplify', async () => {
    expect(read('')).toEqual({ user: null })
    expect(read(`theme=dark; ${sessionCookieHeader('another-client', 'x', { idToken: 'y' })}`)).toEqual({ user: null })
    // Cookies of a session without LastAuthUser, or without both tokens: Amplify decides (and clears them).
    expect(read(sessionCookieHeader(local.pool.clientId, 'x', { idToken: 'y' }).split('; ')[1]!)).toBeUndefined()
    expect(read(sessionCookieHeader(local.pool.clientId, 'x', { idToken: await local.pool.idToken() }))).toBeUndefined()
  })

  it('leaves to Amplify what it must refresh or refuse', async () => {
    const session = async (access: Promise<string>, id: Promise<string>) =>
      read(sessionCookieHeader(local.pool.clientId, 'u', { accessToken: await access, idToken: await id }))
    // Expiring within Amplify's 5 s tolerance: refreshed by Amplify, not read here.
    expect(await session(local.pool.accessToken('u', '3s'), local.pool.idToken('u'))).toBeUndefined()
    expect(await session(local.pool.accessToken('u'), local.pool.idToken('u', '3s'))).toBeUndefined()
    // Someone else's genuine id token next to one's own access token.
    expect(await session(local.pool.accessToken('u'), local.pool.idToken('someone-else'))).toBeUndefined()
    // A forged signature.
    const forged = (await local.pool.accessToken('u')).replace(/\.[^.]+$/, `.${'A'.repeat(342)}`)
    expect(await session(Promise.resolve(forged), local.pool.idToken('u'))).toBeUndefined()
  })
})
