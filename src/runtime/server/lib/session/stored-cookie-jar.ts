import { httpError } from '../errors/http-error'
import type { CookieJar } from './cookie-jar'

/** The one cookie the browser holds in `store: 'storage'` mode: an opaque, random session id. */
export const SESSION_ID_COOKIE = 'amplify-session'

/** 32 random bytes in base64url. Anything else in the cookie is no session id and is never looked up. */
const SESSION_ID = /^[\w-]{43}$/

// A store that does not answer within this time is down for this request: 503, the session kept.
const STORE_TIMEOUT_MS = 2_000

/** What the store holds per session: the values Amplify would have kept in cookies, and when they expire. */
export interface SessionRecord {
  cookies: Record<string, string>
  expiresAt: number
}

/** What the jar needs of Nitro storage (`useStorage('amplify-sessions')`): any unstorage driver has it. */
export interface SessionStorage {
  getItem(key: string): Promise<unknown>
  hasItem(key: string): Promise<boolean>
  setItem(key: string, value: SessionRecord, options: { ttl: number }): Promise<void>
  removeItem(key: string): Promise<void>
}

export interface StoredCookieJarOptions {
  /** The request's real cookies: the session id lives there, and so does everything that is not a session value. */
  cookies: CookieJar
  storage: SessionStorage
  /** Names kept in the record instead of cookies (the user pool's cookies of the app client). */
  prefix: string
  /** Lifetime of a new session's record, in seconds (the refresh token's). */
  maxAge: number
}

export interface StoredCookieJar extends CookieJar {
  /** Reads the request's record (once); the jar's reads need it. Rejects with a 503 when the store cannot be reached. */
  load(): Promise<void>
  /**
   * Writes what changed since the last save: a new session under a new id (`rotate`, at sign-in: no fixation), an
   * emptied one is deleted. Rejects with a 503 when the store cannot be reached.
   */
  save(options?: { rotate?: boolean }): Promise<void>
}

function randomSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The record's key: a hash of the id, so that a key read from the store is not a cookie anyone can send. */
async function recordKey(id: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)))
  return Array.from(digest, byte => byte.toString(16).padStart(2, '0')).join('')
}

// Said when the store goes down and when it is back, not on every request in between.
let storeDown = false

/**
 * A store call, bounded in time. A store that fails or does not answer is a 503 for this request: never a sign-out
 * (the session is still there when the store is back), never a 500.
 */
async function timed<T>(operation: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${STORE_TIMEOUT_MS} ms`)), STORE_TIMEOUT_MS)
  })
  try {
    const result = await Promise.race([operation(), timeout])
    if (storeDown) console.warn('[nuxt-amplify-ssr] The session store answers again.')
    storeDown = false
    return result
  }
  catch (error) {
    if (!storeDown) console.warn(`[nuxt-amplify-ssr] The session store cannot be reached: ${(error as Error)?.message ?? error}`)
    storeDown = true
    throw httpError(503, 'SessionStoreUnavailable', 'Session store unavailable')
  }
  finally {
    clearTimeout(timer)
  }
}

function isRecord(value: unknown): value is SessionRecord {
  const record = value as SessionRecord | null
  return !!record && typeof record === 'object' && typeof record.expiresAt === 'number'
    && !!record.cookies && typeof record.cookies === 'object'
}

/**
 * A `CookieJar` whose session values (`prefix…`) live in a server-side record instead of cookies, so that Amplify's
 * storage, the session read and sign-in/sign-out work unchanged on top of it. Reads and writes are synchronous on
 * the loaded record, as Amplify's cookie adapter needs; `save` sends the changes to the store.
 */
export function createStoredCookieJar({ cookies, storage, prefix, maxAge }: StoredCookieJarOptions): StoredCookieJar {
  const values = new Map<string, string>()
  let loading: Promise<void> | undefined
  let loaded = false
  let key: string | undefined
  let expiresAt: number | undefined
  let dirty = false
  // Saves are chained: two Amplify calls of one request may end at once.
  let saving: Promise<void> = Promise.resolve()

  const own = (name: string) => name.startsWith(prefix)
  const ensureLoaded = () => {
    if (!loaded) throw new Error('[nuxt-amplify-ssr] The stored session was read before it was loaded')
  }

  async function read() {
    const id = cookies.get(SESSION_ID_COOKIE)?.value
    if (!id) return
    if (!SESSION_ID.test(id)) return void cookies.delete(SESSION_ID_COOKIE)
    key = await recordKey(id)
    const record = await timed(() => storage.getItem(key!))
    if (!isRecord(record) || record.expiresAt <= Date.now()) {
      // Signed out (here or on another instance), expired, or never ours: the browser stops sending the id. An
      // expired record goes too, for drivers without TTLs (memory).
      if (record) await timed(() => storage.removeItem(key!))
      key = undefined
      cookies.delete(SESSION_ID_COOKIE)
      return
    }
    expiresAt = record.expiresAt
    for (const [name, value] of Object.entries(record.cookies)) {
      if (own(name) && typeof value === 'string') values.set(name, value)
    }
  }

  // The store first, then the cookie: a store that fails leaves the browser with the id it had (and the request 503).
  async function write(rotate: boolean) {
    if (!dirty) return
    dirty = false
    const previous = key
    if (!values.size) {
      if (previous) await timed(() => storage.removeItem(previous))
      key = undefined
      expiresAt = undefined
      cookies.delete(SESSION_ID_COOKIE)
      return
    }
    let id: string | undefined
    if (rotate || !previous) {
      id = randomSessionId()
      key = await recordKey(id)
      expiresAt = Date.now() + maxAge * 1000
    }
    else if (!(await timed(() => storage.hasItem(previous)))) {
      // Signed out elsewhere while this request ran (a refresh, say): writing back would bring the session back.
      values.clear()
      key = undefined
      cookies.delete(SESSION_ID_COOKIE)
      return
    }
    const ttl = Math.max(1, Math.ceil((expiresAt! - Date.now()) / 1000))
    const record: SessionRecord = { cookies: Object.fromEntries(values), expiresAt: expiresAt! }
    await timed(() => storage.setItem(key!, record, { ttl }))
    if (id) cookies.set(SESSION_ID_COOKIE, id, { maxAge })
    if (previous && previous !== key) await timed(() => storage.removeItem(previous))
  }

  const remove = (name: string) => {
    if (!values.delete(name)) return false
    dirty = true
    return true
  }

  return {
    load() {
      loading ??= read().then(() => {
        loaded = true
      }, (error) => {
        loading = undefined
        throw error
      })
      return loading
    },
    save({ rotate = false } = {}) {
      const next = saving.then(() => write(rotate))
      saving = next.catch(() => {})
      return next
    },
    read(name, encodedName) {
      if (!own(name)) return cookies.read(name, encodedName)
      ensureLoaded()
      return values.get(name)
    },
    get(name) {
      if (!own(name)) return cookies.get(name)
      ensureLoaded()
      const value = values.get(name)
      return value === undefined ? undefined : { name, value }
    },
    getAll() {
      ensureLoaded()
      const stored = [...values].map(([name, value]) => ({ name, value }))
      return [...stored, ...cookies.getAll().filter(cookie => !own(cookie.name) && cookie.name !== SESSION_ID_COOKIE)]
    },
    set(name, value, options) {
      if (!own(name)) return cookies.set(name, value, options)
      ensureLoaded()
      if (values.get(name) === value) return
      values.set(name, value)
      dirty = true
    },
    delete(name) {
      if (!own(name)) return cookies.delete(name)
      ensureLoaded()
      remove(name)
    },
    deleteMatching(matching) {
      ensureLoaded()
      const names = [...values.keys()].filter(name => name.startsWith(matching))
      for (const name of names) remove(name)
      // Cookies under the prefix too: those a browser kept from before the app moved to the store.
      return names.length + cookies.deleteMatching(matching)
    },
  }
}
