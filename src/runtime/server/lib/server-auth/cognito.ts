// The few Cognito user-pool operations that signing in on the server needs, over its JSON 1.1 protocol
// (unsigned: these operations are public, called with the app client id).

export interface CognitoTokens {
  AccessToken: string
  IdToken: string
  RefreshToken?: string
}

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
  if (!endpoint) throw new CognitoError('ConfigurationError', 'The user pool\'s region is unknown: set amplify.config\'s aws_region or NUXT_PUBLIC_AMPLIFY_REGION')
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

export function initiatePasswordAuth(endpoint: string | undefined, clientId: string, username: string, password: string) {
  return cognitoCall<CognitoAuthAnswer>(endpoint, 'InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  })
}

export function respondToChallenge(endpoint: string | undefined, clientId: string, challengeName: string, session: string, responses: Record<string, string>) {
  return cognitoCall<CognitoAuthAnswer>(endpoint, 'RespondToAuthChallenge', {
    ChallengeName: challengeName,
    ClientId: clientId,
    Session: session,
    ChallengeResponses: responses,
  })
}

/** Revokes a refresh token and the access tokens issued from it. */
export function revokeRefreshToken(endpoint: string | undefined, clientId: string, refreshToken: string) {
  return cognitoCall<object>(endpoint, 'RevokeToken', { ClientId: clientId, Token: refreshToken })
}
