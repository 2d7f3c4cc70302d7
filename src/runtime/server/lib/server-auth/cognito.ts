// The few Cognito user-pool operations that signing in on the server needs, over its JSON 1.1 protocol
// (unsigned: these operations are public, called with the app client id).

import type { SessionTokens } from '../session/write-session'

/** What Cognito issues on sign-in: the tokens of a session. */
export type CognitoTokens = SessionTokens

export interface CognitoAuthAnswer {
  AuthenticationResult?: CognitoTokens
  ChallengeName?: string
  ChallengeParameters?: Record<string, string>
  Session?: string
}

/** Cognito said no (`code` is its exception name), or could not be reached (`NetworkError`). */
export class CognitoError extends Error {
  override name = 'CognitoError'
  constructor(readonly code: string, message: string, options?: ErrorOptions) {
    super(message, options)
  }
}

const TIMEOUT_MS = 10_000

export async function cognitoCall<T>(endpoint: string | undefined, operation: string, input: object): Promise<T> {
  if (!endpoint) {
    throw new CognitoError('ConfigurationError', 'The user pool\'s region is unknown: set amplify.config\'s aws_region or NUXT_PUBLIC_AMPLIFY_REGION')
  }
  let res: Response
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  }
  catch (error) {
    throw new CognitoError('NetworkError', 'Cognito cannot be reached', { cause: error })
  }
  const body = await res.json().catch(() => ({})) as { __type?: string, message?: string, Message?: string }
  if (res.ok) return body as T
  // AWS answers `__type: "com.amazonaws…#NotAuthorizedException"` or just the name.
  const code = (body.__type ?? res.headers.get('x-amzn-errortype') ?? '').split(/[#:]/).filter(Boolean).pop()
  if (!code || res.status >= 500) throw new CognitoError('NetworkError', `Cognito answered ${res.status}`)
  throw new CognitoError(code, body.message ?? body.Message ?? code)
}

/** Where Cognito is and which app client calls it: the first part of every call. */
export interface CognitoClient {
  /** Cognito's JSON API; undefined when the region is unknown (the call then fails with `ConfigurationError`). */
  endpoint: string | undefined
  clientId: string
}

/** The Cognito client of the resolved `serverAuth` settings. */
export const cognitoClient = (settings: { cognitoEndpoint?: string, clientId: string }): CognitoClient =>
  ({ endpoint: settings.cognitoEndpoint, clientId: settings.clientId })

export function initiatePasswordAuth({ endpoint, clientId }: CognitoClient, credentials: { username: string, password: string }) {
  const { username, password } = credentials
  return cognitoCall<CognitoAuthAnswer>(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
}

export interface ChallengeAnswer {
  challengeName: string
  session: string
  responses: Record<string, string>
}

export function respondToChallenge({ endpoint, clientId }: CognitoClient, { challengeName, session, responses }: ChallengeAnswer) {
  return cognitoCall<CognitoAuthAnswer>(endpoint, 'RespondToAuthChallenge', {
    ChallengeName: challengeName,
    ClientId: clientId,
    Session: session,
    ChallengeResponses: responses,
  })
}

/** Revokes a refresh token and the access tokens issued from it. */
export function revokeRefreshToken({ endpoint, clientId }: CognitoClient, refreshToken: string) {
  return cognitoCall<object>(endpoint, 'RevokeToken', { ClientId: clientId, Token: refreshToken })
}
