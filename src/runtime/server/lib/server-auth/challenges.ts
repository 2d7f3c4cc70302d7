// Cognito's sign-in challenges in the words of Amplify's `signIn` / `confirmSignIn` (`nextStep.signInStep`), so that
// an app moving from the browser client to server sign-in keeps its forms.
import type { CognitoAuthAnswer } from './cognito'

export interface PendingChallenge {
  /** Cognito's name for the challenge: NEW_PASSWORD_REQUIRED, SMS_MFA… */
  name: string
  session: string
  /** The user as Cognito knows them (`USER_ID_FOR_SRP`), which the answer must name. */
  username: string
  /** What the user typed, kept for `signInDetails.loginId`. */
  loginId: string
}

export interface NextStep {
  signInStep: string
  missingAttributes?: string[]
  allowedMFATypes?: string[]
  codeDeliveryDetails?: { deliveryMedium?: string, destination?: string }
}

const MFA_TYPES: Record<string, string> = { SMS_MFA: 'SMS', SOFTWARE_TOKEN_MFA: 'TOTP', EMAIL_OTP: 'EMAIL' }

function parseList(value: string | undefined): string[] {
  try {
    const list = JSON.parse(value ?? '[]')
    return Array.isArray(list) ? list.map(String) : []
  }
  catch {
    return []
  }
}

function codeDelivery(parameters: Record<string, string>) {
  return { deliveryMedium: parameters.CODE_DELIVERY_DELIVERY_MEDIUM, destination: parameters.CODE_DELIVERY_DESTINATION }
}

/** The step the user has to take for a challenge, or `undefined` for challenges that server sign-in cannot answer. */
export function nextStepOf(answer: CognitoAuthAnswer): NextStep | undefined {
  const parameters = answer.ChallengeParameters ?? {}
  switch (answer.ChallengeName) {
    case 'NEW_PASSWORD_REQUIRED':
      return {
        signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED',
        missingAttributes: parseList(parameters.requiredAttributes).map(name => name.replace(/^userAttributes\./, '')),
      }
    case 'SMS_MFA':
      return { signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE', codeDeliveryDetails: codeDelivery(parameters) }
    case 'EMAIL_OTP':
      return { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE', codeDeliveryDetails: codeDelivery(parameters) }
    case 'SOFTWARE_TOKEN_MFA':
      return { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }
    case 'SELECT_MFA_TYPE':
      return {
        signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
        allowedMFATypes: parseList(parameters.MFAS_CAN_CHOOSE).map(type => MFA_TYPES[type] ?? type),
      }
  }
}

/**
 * Cognito's `ChallengeResponses` for the user's answer (`challengeResponse` as in Amplify's `confirmSignIn`):
 * the new password, the code, or the chosen MFA type (`TOTP`, `SMS`, `EMAIL`).
 */
export function challengeResponses(
  pending: PendingChallenge,
  challengeResponse: string,
  userAttributes: Record<string, string> = {},
): Record<string, string> {
  const base = { USERNAME: pending.username }
  switch (pending.name) {
    case 'NEW_PASSWORD_REQUIRED':
      return {
        ...base,
        NEW_PASSWORD: challengeResponse,
        ...Object.fromEntries(Object.entries(userAttributes).map(([name, value]) => [`userAttributes.${name}`, String(value)])),
      }
    case 'SMS_MFA':
      return { ...base, SMS_MFA_CODE: challengeResponse }
    case 'EMAIL_OTP':
      return { ...base, EMAIL_OTP_CODE: challengeResponse }
    case 'SOFTWARE_TOKEN_MFA':
      return { ...base, SOFTWARE_TOKEN_MFA_CODE: challengeResponse }
    default: {
      const chosen = Object.entries(MFA_TYPES).find(([, type]) => type === challengeResponse)?.[0] ?? challengeResponse
      return { ...base, ANSWER: chosen }
    }
  }
}

/** The pending challenge travels in an HttpOnly cookie (h3 percent-encodes it): the browser never handles Cognito's session. */
export function encodeChallenge(pending: PendingChallenge): string {
  return JSON.stringify([pending.name, pending.session, pending.username, pending.loginId])
}

export function decodeChallenge(value: string | undefined): PendingChallenge | undefined {
  if (!value) return undefined
  try {
    const [name, session, username, loginId] = JSON.parse(value)
    if ([name, session, username, loginId].every(part => typeof part === 'string' && part)) return { name, session, username, loginId }
  }
  catch { /* tampered or truncated: no challenge pending */ }
}
