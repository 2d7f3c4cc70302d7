// Cognito's Hosted UI endpoints (OAuth 2.0 authorization code grant with PKCE).
import { CognitoError } from '../cognito'
import type { CognitoTokens } from '../cognito'
import type { HostedUISettings } from '../settings'

export interface AuthorizeRequest {
  clientId: string
  redirectUri: string
  state: string
  codeChallenge: string
  /** `identity_provider`: skip the Hosted UI's page and go to Google, Facebook, a SAML provider… */
  identityProvider?: string
}

// Amplify's names for the social providers (`?provider=google`) and Cognito's.
const PROVIDERS: Record<string, string> = { google: 'Google', facebook: 'Facebook', amazon: 'LoginWithAmazon', apple: 'SignInWithApple' }

export function identityProviderName(provider: unknown): string | undefined {
  if (typeof provider !== 'string' || !/^[\w.-]{1,64}$/.test(provider)) return undefined
  return PROVIDERS[provider.toLowerCase()] ?? provider
}

/** The Hosted UI page that starts a sign-in (`/oauth2/authorize`) or a sign-up (`/signup`). */
export function authorizeUrl(hostedUI: HostedUISettings, page: 'sign-in' | 'sign-up', request: AuthorizeRequest): string {
  const url = new URL(`${hostedUI.domain}${page === 'sign-up' ? '/signup' : '/oauth2/authorize'}`)
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: hostedUI.scopes,
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    ...(request.identityProvider && { identity_provider: request.identityProvider }),
  }).toString()
  return url.toString()
}

/** The Hosted UI logout endpoint, which ends its own session and sends the browser on to `logoutUri`. */
export function logoutUrl(hostedUI: HostedUISettings, clientId: string, logoutUri: string): string | undefined {
  if (!hostedUI.logoutUrl) return undefined
  const url = new URL(hostedUI.logoutUrl)
  url.searchParams.set('client_id', clientId)
  url.searchParams.set('logout_uri', logoutUri)
  return url.toString()
}

/** Trades an authorization code and its PKCE verifier for tokens at `/oauth2/token`. */
export interface CodeExchange {
  clientId: string
  code: string
  redirectUri: string
  verifier: string
}

export async function exchangeCode(hostedUI: HostedUISettings, input: CodeExchange): Promise<CognitoTokens> {
  let res: Response
  try {
    res = await fetch(`${hostedUI.domain}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept': 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: input.clientId,
        code: input.code,
        redirect_uri: input.redirectUri,
        code_verifier: input.verifier,
      }),
      signal: AbortSignal.timeout(10_000),
    })
  }
  catch (error) {
    throw new CognitoError('NetworkError', 'The Hosted UI cannot be reached', { cause: error })
  }
  const body = await res.json().catch(() => ({})) as { access_token?: string, id_token?: string, refresh_token?: string, error?: string }
  if (res.ok && body.access_token && body.id_token) {
    return { AccessToken: body.access_token, IdToken: body.id_token, RefreshToken: body.refresh_token }
  }
  // Cognito issues an id token only for the `openid` scope; Amplify cannot keep a session without one.
  if (res.ok && body.access_token) {
    throw new CognitoError('invalid_scope', 'The token endpoint returned no id token: add the `openid` scope')
  }
  if (res.status >= 500 || !body.error) throw new CognitoError('NetworkError', `The token endpoint answered ${res.status}`)
  // invalid_grant (expired, replayed or foreign code; wrong verifier), invalid_client, invalid_request…
  throw new CognitoError(body.error, `The token endpoint refused the code: ${body.error}`)
}
