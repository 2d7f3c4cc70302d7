import { describe, expect, it } from 'vitest'
import { createCookieJar } from '../../../../../src/runtime/server/lib/session/cookie-jar'
import { deleteStaleSessions } from '../../../../../src/runtime/server/lib/session/delete-stale-sessions'
import { eventWith, sessionCookieHeader, setCookieHeaders } from '../../../../support/unit'

const session = (username: string) => sessionCookieHeader('client1', username, {
  accessToken: `${username}-access`,
  idToken: `${username}-id`,
  refreshToken: `${username}-refresh`,
  clockDrift: '0',
}).split('; ').slice(1).join('; ')
const lastAuthUser = (username: string) => `CognitoIdentityServiceProvider.client1.LastAuthUser=${encodeURIComponent(username)}`

function run(header: string) {
  const event = eventWith(header)
  const jar = createCookieJar(event, { path: '/', sameSite: 'lax' })
  const deleted = deleteStaleSessions(jar, 'client1', header)
  return { deleted, jar, setCookies: setCookieHeaders(event) }
}

describe('deleteStaleSessions', () => {
  it('deletes the session cookies of the other users of a three-user jar, and keeps the current one', () => {
    const device = 'CognitoIdentityServiceProvider.client1.bob%40x.com.deviceKey=dk'
    const header = [session('alice@x.com'), session('bob@x.com'), session('carol.smith'), device, lastAuthUser('carol.smith'), 'theme=dark'].join('; ')
    const { deleted, jar, setCookies } = run(header)
    expect(deleted).toBe(8)
    expect(setCookies).toHaveLength(8)
    expect(setCookies.every(line => /Max-Age=0/.test(line))).toBe(true)
    expect(setCookies.some(line => line.startsWith('CognitoIdentityServiceProvider.client1.alice%40x.com.accessToken='))).toBe(true)
    const kept = jar.getAll().map(cookie => cookie.name)
    expect(kept).toContain('CognitoIdentityServiceProvider.client1.carol.smith.accessToken')
    expect(kept).toContain('CognitoIdentityServiceProvider.client1.LastAuthUser')
    expect(kept).toContain('CognitoIdentityServiceProvider.client1.bob@x.com.deviceKey')
    expect(kept).toContain('theme')
  })

  it('does nothing for a single session, another client\'s cookies, or no LastAuthUser', () => {
    expect(run([session('alice@x.com'), lastAuthUser('alice@x.com')].join('; ')).deleted).toBe(0)
    expect(run([session('alice@x.com'), lastAuthUser('alice@x.com'), 'CognitoIdentityServiceProvider.client2.bob.idToken=x'].join('; ')).deleted).toBe(0)
    expect(run([session('alice@x.com'), session('bob@x.com')].join('; ')).deleted).toBe(0)
    expect(run('theme=dark').deleted).toBe(0)
  })
})
