import type { refreshAuthTokensWithoutDedupe } from 'aws-amplify/auth/cognito'
import { BoundedMap } from '../cache/bounded-map'

/** Amplify's refresh call: the session's tokens in, Cognito's new tokens out. */
export type TokenRefresher = typeof refreshAuthTokensWithoutDedupe
type RefreshInput = Parameters<TokenRefresher>[0]
type RefreshedTokens = Awaited<ReturnType<TokenRefresher>>

// A burst's last requests may arrive with the old cookies just after the refresh settled: they get its tokens too
// (with refresh-token rotation, a second refresh of the old token would end the session).
const STRAGGLERS_MS = 5_000
// Refreshes in flight or just settled; past this many, the oldest is no longer shared (and nothing else is lost).
const MAX_SHARED = 10_000

interface SharedRefresh {
  /** Everything else the refresh call is made of: a request whose other inputs differ does not share it. */
  inputs: string
  tokens: Promise<RefreshedTokens>
}

/**
 * Refreshes shared by the requests of one session, by refresh token: only a request holding that same refresh token
 * (the secret the refresh is made with, which no one chooses for someone else) ever finds the entry. Kept as is, not
 * hashed: the lookup must stay synchronous, and WebCrypto (edge presets have no `node:crypto`) is not.
 */
const shared = new BoundedMap<string, SharedRefresh>(MAX_SHARED)

function inputsOf({ tokens, authConfig, username, clientMetadata }: RefreshInput): string {
  const cognito = authConfig?.Cognito
  return JSON.stringify([
    cognito?.userPoolId, cognito?.userPoolClientId, cognito?.userPoolEndpoint, username,
    tokens.deviceMetadata?.deviceKey, clientMetadata,
  ])
}

/** Each request gets its own copy: Amplify writes the request's `signInDetails` onto the result before storing it. */
function copyOf(tokens: RefreshedTokens): RefreshedTokens {
  const copy = { ...tokens, accessToken: { ...tokens.accessToken, payload: { ...tokens.accessToken.payload } } }
  if (tokens.idToken) copy.idToken = { ...tokens.idToken, payload: { ...tokens.idToken.payload } }
  return copy
}

function forgetWhenSettled(key: string, entry: SharedRefresh) {
  const forget = () => {
    if (shared.get(key) === entry) shared.delete(key)
  }
  const forgetLater = () => {
    const timer: { unref?: () => void } | number = setTimeout(forget, STRAGGLERS_MS)
    // Node: a pending straggler window must not keep a process (a test, a Lambda) alive.
    if (typeof timer === 'object') timer.unref?.()
  }
  // A failure is every waiter's (all signed out, or all 503) and is not kept: the next request asks Cognito again.
  entry.tokens.then(forgetLater, forget)
}

/**
 * Wraps Amplify's refresher so that concurrent requests of one session (a page and its `$fetch` calls, two tabs)
 * make one call to Cognito and all store the same new tokens, each in its own response. Nothing is shared past
 * a few seconds after the refresh settled, and never between two refresh tokens.
 */
export function singleFlightRefresh(refresh: TokenRefresher): TokenRefresher {
  return async (input) => {
    const refreshToken = input.tokens.refreshToken
    if (!refreshToken) return refresh(input)
    const inputs = inputsOf(input)
    let entry = shared.get(refreshToken)
    // Same refresh token, other client or user: a forged pairing, refreshed on its own and shared with nobody.
    if (entry && entry.inputs !== inputs) return refresh(input)
    if (!entry) {
      // No await between looking up and remembering: concurrent requests must find the refresh in flight.
      entry = { inputs, tokens: refresh(input) }
      shared.set(refreshToken, entry)
      forgetWhenSettled(refreshToken, entry)
    }
    return copyOf(await entry.tokens)
  }
}

/** Sign-out: the tokens of a refresh that has just settled are no longer handed to a copy of the old cookies. */
export function forgetSharedRefresh(refreshToken: string): void {
  shared.delete(refreshToken)
}
