import { createHash } from 'node:crypto'
import { createStorage } from 'unstorage'
import { describe, expect, it, vi } from 'vitest'
import { createCookieJar } from '../../../../../src/runtime/server/lib/session/cookie-jar'
import { createStoredCookieJar, SESSION_ID_COOKIE } from '../../../../../src/runtime/server/lib/session/stored-cookie-jar'
import type { SessionRecord, SessionStorage } from '../../../../../src/runtime/server/lib/session/stored-cookie-jar'
import type { CookieRuntimeConfig } from '../../../../../src/runtime/shared/config'
import { eventWith, setCookieHeaders } from '../../../../support/unit'

const options: CookieRuntimeConfig = { path: '/', sameSite: 'lax', httpOnly: true }
const prefix = 'CognitoIdentityServiceProvider.client1.'
const MAX_AGE = 3600
const hashOf = (id: string) => createHash('sha256').update(id).digest('hex')

function requestJar(storage: SessionStorage, cookie = '') {
  const event = eventWith(cookie)
  const jar = createStoredCookieJar({ cookies: createCookieJar(event, options), storage, prefix, maxAge: MAX_AGE })
  return { event, jar }
}

/** The session id a response handed the browser ('' for a deletion), from its Set-Cookie headers. */
function sessionIdOf(event: ReturnType<typeof eventWith>): string | undefined {
  const line = setCookieHeaders(event).find(header => header.startsWith(`${SESSION_ID_COOKIE}=`))
  return line && line.slice(SESSION_ID_COOKIE.length + 1, line.indexOf(';'))
}

async function signedIn(storage = createStorage() as unknown as SessionStorage) {
  const { event, jar } = requestJar(storage)
  await jar.load()
  jar.set(`${prefix}LastAuthUser`, 'alice')
  jar.set(`${prefix}alice.accessToken`, 'access-1')
  await jar.save({ rotate: true })
  return { storage, id: sessionIdOf(event)!, event }
}

describe('createStoredCookieJar', () => {
  it('keeps the session in a record keyed by a hash of a random id, and gives the browser only the id', async () => {
    const { storage, id, event } = await signedIn()
    expect(id).toMatch(/^[\w-]{43}$/)
    expect(Buffer.from(id, 'base64url')).toHaveLength(32)
    const [line] = setCookieHeaders(event)
    expect(setCookieHeaders(event)).toHaveLength(1)
    expect(line).toContain('HttpOnly')
    expect(line).toContain(`Max-Age=${MAX_AGE}`)
    expect(await storage.getItem(id)).toBeNull()
    const record = await storage.getItem(hashOf(id)) as SessionRecord
    expect(record.cookies).toEqual({ [`${prefix}LastAuthUser`]: 'alice', [`${prefix}alice.accessToken`]: 'access-1' })
    expect(record.expiresAt).toBeGreaterThan(Date.now() + (MAX_AGE - 5) * 1000)
  })

  it('reads the record on a later request, sends other names to the cookies, and writes back its changes', async () => {
    const { storage, id } = await signedIn()
    const { event, jar } = requestJar(storage, `${SESSION_ID_COOKIE}=${id}; theme=dark`)
    await jar.load()
    expect(jar.get(`${prefix}LastAuthUser`)?.value).toBe('alice')
    expect(jar.read(`${prefix}alice.accessToken`, `${prefix}alice.accessToken`)).toBe('access-1')
    expect(jar.get('theme')?.value).toBe('dark')
    expect(jar.getAll().map(cookie => cookie.name)).toEqual([`${prefix}LastAuthUser`, `${prefix}alice.accessToken`, 'theme'])
    jar.set(`${prefix}alice.accessToken`, 'access-2')
    await jar.save()
    // Same id, no cookie written: a refresh changes the record only.
    expect(setCookieHeaders(event)).toEqual([])
    expect((await storage.getItem(hashOf(id)) as SessionRecord).cookies[`${prefix}alice.accessToken`]).toBe('access-2')
  })

  it('gives a signed-in session a new id and drops the old record (no fixation)', async () => {
    const { storage, id } = await signedIn()
    const { event, jar } = requestJar(storage, `${SESSION_ID_COOKIE}=${id}`)
    await jar.load()
    jar.deleteMatching(prefix)
    jar.set(`${prefix}LastAuthUser`, 'bob')
    await jar.save({ rotate: true })
    const rotated = sessionIdOf(event)!
    expect(rotated).not.toBe(id)
    expect(await storage.hasItem(hashOf(id))).toBe(false)
    expect((await storage.getItem(hashOf(rotated)) as SessionRecord).cookies).toEqual({ [`${prefix}LastAuthUser`]: 'bob' })
  })

  it('deletes the record and the id cookie when the session is emptied (sign-out)', async () => {
    const { storage, id } = await signedIn()
    const { event, jar } = requestJar(storage, `${SESSION_ID_COOKIE}=${id}`)
    await jar.load()
    expect(jar.deleteMatching(prefix)).toBe(2)
    await jar.save()
    expect(await storage.hasItem(hashOf(id))).toBe(false)
    expect(setCookieHeaders(event)[0]).toMatch(new RegExp(`^${SESSION_ID_COOKIE}=; Max-Age=0;`))
  })

  it('never brings back a session that was signed out elsewhere while the request ran', async () => {
    const { storage, id } = await signedIn()
    const { event, jar } = requestJar(storage, `${SESSION_ID_COOKIE}=${id}`)
    await jar.load()
    await storage.removeItem(hashOf(id))
    jar.set(`${prefix}alice.accessToken`, 'refreshed')
    await jar.save()
    expect(await storage.hasItem(hashOf(id))).toBe(false)
    expect(jar.get(`${prefix}LastAuthUser`)).toBeUndefined()
    expect(sessionIdOf(event)).toBe('')
  })

  it('does not look up ids that are not ids, and forgets unknown and expired ones', async () => {
    const storage = createStorage() as unknown as SessionStorage
    const getItem = vi.spyOn(storage, 'getItem')
    for (const id of ['short', `${'a'.repeat(42)}!`, 'a'.repeat(44)]) {
      const { event, jar } = requestJar(storage, `${SESSION_ID_COOKIE}=${encodeURIComponent(id)}`)
      await jar.load()
      expect(jar.getAll()).toEqual([])
      expect(sessionIdOf(event)).toBe('')
    }
    expect(getItem).not.toHaveBeenCalled()

    const unknown = requestJar(storage, `${SESSION_ID_COOKIE}=${'a'.repeat(43)}`)
    await unknown.jar.load()
    expect(sessionIdOf(unknown.event)).toBe('')

    const { id } = await signedIn(storage)
    const record = await storage.getItem(hashOf(id)) as SessionRecord
    await storage.setItem(hashOf(id), { ...record, expiresAt: Date.now() - 1 }, { ttl: 1 })
    const expired = requestJar(storage, `${SESSION_ID_COOKIE}=${id}`)
    await expired.jar.load()
    expect(expired.jar.get(`${prefix}LastAuthUser`)).toBeUndefined()
    // The memory driver has no TTLs: the expired record goes when its id comes back.
    expect(await storage.hasItem(hashOf(id))).toBe(false)
  })

  it('answers 503 when the store fails or does not answer, and keeps the session for when it is back', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { storage, id } = await signedIn()
    const down: SessionStorage = { ...storage, getItem: () => Promise.reject(new Error('ECONNREFUSED')) }
    const failing = requestJar(down, `${SESSION_ID_COOKIE}=${id}`)
    await expect(failing.jar.load()).rejects.toMatchObject({ statusCode: 503, data: { code: 'SessionStoreUnavailable' } })
    expect(setCookieHeaders(failing.event)).toEqual([])

    // A sign-in or a sign-out that cannot reach the store leaves the browser's id as it was.
    const unwritable: SessionStorage = { ...storage, setItem: () => Promise.reject(new Error('READONLY')), removeItem: () => Promise.reject(new Error('READONLY')) }
    for (const rotate of [true, false]) {
      const { event, jar } = requestJar(unwritable, `${SESSION_ID_COOKIE}=${id}`)
      await jar.load()
      if (rotate) jar.set(`${prefix}LastAuthUser`, 'bob')
      else jar.deleteMatching(prefix)
      await expect(jar.save({ rotate })).rejects.toMatchObject({ statusCode: 503 })
      expect(setCookieHeaders(event)).toEqual([])
    }

    const hanging: SessionStorage = { ...storage, getItem: () => new Promise(() => {}) }
    const started = Date.now()
    await expect(requestJar(hanging, `${SESSION_ID_COOKIE}=${id}`).jar.load()).rejects.toMatchObject({ statusCode: 503 })
    expect(Date.now() - started).toBeLessThan(3_000)

    const back = requestJar(storage, `${SESSION_ID_COOKIE}=${id}`)
    await back.jar.load()
    expect(back.jar.get(`${prefix}LastAuthUser`)?.value).toBe('alice')
    expect(warn.mock.calls.map(call => String(call[0]))).toEqual([
      expect.stringContaining('cannot be reached: ECONNREFUSED'),
      expect.stringContaining('answers again'),
      expect.stringContaining('cannot be reached: READONLY'),
      expect.stringContaining('answers again'),
      expect.stringContaining('cannot be reached: READONLY'),
      expect.stringContaining('answers again'),
    ])
    warn.mockRestore()
  })

  it('refuses to be read before its record is loaded', () => {
    const { jar } = requestJar(createStorage() as unknown as SessionStorage)
    expect(() => jar.get(`${prefix}LastAuthUser`)).toThrow(/before it was loaded/)
  })
})
