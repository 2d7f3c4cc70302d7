import { useRuntimeConfig, useStorage } from 'nitropack/runtime'
import type { SessionStorage } from './stored-cookie-jar'

/** Where `store: 'storage'` keeps sessions: the app mounts its driver there with `nitro.storage` (memory otherwise). */
export const SESSION_STORAGE = 'amplify-sessions'

// Cognito's default refresh-token validity: a record outlives its refresh token by nothing when the app says so
// (`cookies.maxAge`), and by at most the difference otherwise.
const DEFAULT_SESSION_MAX_AGE = 30 * 24 * 60 * 60

export interface SessionStore {
  storage: SessionStorage
  /** Lifetime of a session's record and id cookie, in seconds. */
  maxAge: number
}

let store: SessionStore | null | undefined

/** The server-side session store of `serverAuth.store: 'storage'`, or `null` in cookie mode; resolved once per process. */
export function useSessionStore(): SessionStore | null {
  if (store !== undefined) return store
  const config = useRuntimeConfig()
  store = config.amplify.serverAuth?.store === 'storage'
    ? { storage: useStorage(SESSION_STORAGE) as SessionStorage, maxAge: config.public.amplify.cookies.maxAge || DEFAULT_SESSION_MAX_AGE }
    : null
  return store
}
