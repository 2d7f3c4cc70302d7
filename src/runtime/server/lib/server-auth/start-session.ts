import type { H3Event } from 'h3'
import type { AuthUser } from 'aws-amplify/auth'
import { useAmplifyRequestContext } from '../amplify/request-context'
import { writeSession } from '../session/write-session'
import type { SessionTokens, SignInDetails } from '../session/write-session'
import { CognitoError } from './cognito'
import type { ServerAuthSettings } from './settings'

/**
 * Makes the tokens Cognito just issued the request's session (HttpOnly cookies, or a record of the session store). Written to the request's
 * own jar, so that later reads in this request (the SSR of the page it redirects to, say) see the new session.
 * Tokens that the app would not accept are Cognito's fault: `InvalidTokenException`, and nothing is stored.
 */
export async function startSession(
  event: H3Event,
  settings: ServerAuthSettings,
  tokens: SessionTokens,
  signInDetails?: SignInDetails,
): Promise<AuthUser> {
  const context = useAmplifyRequestContext(event)
  const user = await writeSession(await context.session(), { clientId: settings.clientId, verifier: settings.verifier, tokens, signInDetails })
  if (!user) throw new CognitoError('InvalidTokenException', 'Cognito returned tokens that this app does not accept')
  // A new id for the new session: an id planted in the browser before sign-in is worth nothing after (no fixation).
  await context.saveSession({ rotate: true })
  return user
}
