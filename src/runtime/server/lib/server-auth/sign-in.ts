import { getRequestHeader, readBody } from 'h3'
import type { H3Event } from 'h3'
import type { AuthUser } from 'aws-amplify/auth'
import { safeRedirectPath } from '../../../shared/redirect'
import { deleteFlowCookies, getFlowCookie, setFlowCookie } from './flow-cookies'
import { CognitoError, cognitoClient, initiatePasswordAuth, respondToChallenge } from './cognito'
import type { CognitoAuthAnswer } from './cognito'
import { challengeResponses, decodeChallenge, encodeChallenge, nextStepOf } from './challenges'
import type { NextStep } from './challenges'
import { httpError } from '../errors/http-error'
import { assertSameOrigin } from './same-origin'
import { startSession } from './start-session'
import type { ServerAuthSettings } from './settings'

/** What `POST <basePath>/sign-in` answers: Amplify's `SignInOutput`, plus the user and where to go once signed in. */
export type ServerSignInResult
  = | { isSignedIn: true, nextStep: { signInStep: 'DONE' }, user: AuthUser, redirect: string }
    | { isSignedIn: false, nextStep: NextStep }

interface SignInBody {
  username?: unknown
  password?: unknown
  challengeResponse?: unknown
  userAttributes?: unknown
  redirect?: unknown
}

const WRONG_CREDENTIALS = 'Incorrect username or password.'
const SESSION_REFUSED = 'The sign-in session expired or was refused: sign in again.'

/** Cognito's refusals as HTTP answers (other errors pass through); the user is never told whether an account exists. */
export function signInError(error: unknown, answering: boolean): unknown {
  if (!(error instanceof CognitoError)) return error
  switch (error.code) {
    case 'UserNotFoundException':
    case 'NotAuthorizedException':
      return httpError(401, 'NotAuthorizedException', answering ? SESSION_REFUSED : WRONG_CREDENTIALS)
    case 'InvalidPasswordException':
      // The emulator's "wrong password"; Cognito's "new password does not meet the policy".
      return answering ? httpError(400, error.code, error.message) : httpError(401, 'NotAuthorizedException', WRONG_CREDENTIALS)
    case 'CodeMismatchException':
    case 'ExpiredCodeException':
      return httpError(401, error.code, 'The code is wrong or expired.')
    case 'UserNotConfirmedException':
    case 'PasswordResetRequiredException':
      return httpError(403, error.code, error.message)
    case 'TooManyRequestsException':
    case 'TooManyFailedAttemptsException':
    case 'LimitExceededException':
      return httpError(429, error.code, 'Too many attempts: try again later.')
    case 'InvalidParameterException':
      return httpError(400, error.code, error.message)
    case 'NetworkError':
      return httpError(503, error.code, 'Authentication service unavailable')
    case 'InvalidTokenException':
      return httpError(502, error.code, error.message)
  }
  console.error('[nuxt-amplify-ssr] Server sign-in failed:', error)
  return httpError(500, error.code, 'Sign-in failed')
}

function stringField(value: unknown, name: string): string {
  if (typeof value !== 'string' || !value || value.length > 1024) {
    throw httpError(400, 'InvalidParameterException', `\`${name}\` must be a non-empty string`)
  }
  return value
}

function attributesField(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw httpError(400, 'InvalidParameterException', '`userAttributes` must be an object')
  }
  return Object.fromEntries(Object.entries(value).map(([name, v]) => [name, String(v)]))
}

interface SignInAttempt {
  /** What the user typed, kept for `signInDetails.loginId`. */
  loginId: string
  /** Where to go once signed in. */
  redirect: string
  /** The user as named so far, for a challenge that does not name them (`USER_ID_FOR_SRP`). */
  username: string
}

async function settle(
  event: H3Event,
  settings: ServerAuthSettings,
  answer: CognitoAuthAnswer,
  attempt: SignInAttempt,
): Promise<ServerSignInResult> {
  const { loginId, redirect } = attempt
  if (answer.AuthenticationResult) {
    const user = await startSession(event, settings, answer.AuthenticationResult, { loginId, authFlowType: 'USER_PASSWORD_AUTH' })
    deleteFlowCookies(event, settings, 'challenge')
    return { isSignedIn: true, nextStep: { signInStep: 'DONE' }, user, redirect }
  }
  const nextStep = nextStepOf(answer)
  if (!nextStep || !answer.Session) {
    throw httpError(501, 'UnsupportedChallenge', `Server sign-in cannot answer Cognito's ${answer.ChallengeName ?? 'unknown'} challenge`)
  }
  const username = answer.ChallengeParameters?.USER_ID_FOR_SRP || attempt.username
  setFlowCookie(event, settings, 'challenge', encodeChallenge({ name: answer.ChallengeName!, session: answer.Session, username, loginId }))
  return { isSignedIn: false, nextStep }
}

/**
 * `POST <basePath>/sign-in` with `{ username, password }` signs in with USER_PASSWORD_AUTH; with `{ challengeResponse,
 * userAttributes? }` it answers the step asked for by the previous answer. Same-origin JSON requests only.
 */
export async function handleServerSignIn(event: H3Event, settings: ServerAuthSettings): Promise<ServerSignInResult> {
  assertSameOrigin(event, settings)
  // A cross-site form cannot send JSON without a CORS preflight, which this route never grants.
  if (!getRequestHeader(event, 'content-type')?.toLowerCase().startsWith('application/json')) {
    throw httpError(415, 'UnsupportedMediaType', 'Send the sign-in as application/json')
  }
  const body = (await readBody<SignInBody>(event).catch(() => undefined)) ?? {}
  const redirect = safeRedirectPath(body.redirect, settings.redirectSignIn)

  const answering = body.challengeResponse !== undefined
  try {
    if (answering) {
      const answerText = stringField(body.challengeResponse, 'challengeResponse')
      const pending = decodeChallenge(getFlowCookie(event, 'challenge'))
      if (!pending) throw httpError(400, 'NoPendingChallenge', 'No sign-in step is waiting for an answer: sign in again.')
      const responses = challengeResponses(pending, answerText, attributesField(body.userAttributes))
      const answer = await respondToChallenge(cognitoClient(settings), { challengeName: pending.name, session: pending.session, responses })
      return await settle(event, settings, answer, { loginId: pending.loginId, redirect, username: pending.username })
    }
    const username = stringField(body.username, 'username')
    const password = stringField(body.password, 'password')
    const answer = await initiatePasswordAuth(cognitoClient(settings), { username, password })
    return await settle(event, settings, answer, { loginId: username, redirect, username })
  }
  catch (error) {
    throw signInError(error, answering)
  }
}
