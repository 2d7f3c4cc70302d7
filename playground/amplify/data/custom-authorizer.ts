// The data API's Lambda authorizer (Gen2: `lambdaAuthorizationMode: { function: defineFunction({ entry }) }`), run
// by the local AppSync as is. A demo: it accepts one fixed token, as Amplify's own example does; a real one checks
// the token against its issuer.

interface AuthorizerEvent {
  authorizationToken: string
  requestContext: { apiId: string, accountId: string, requestId: string, queryString: string, operationName?: string }
}

export const DEMO_TOKEN = 'custom-authorized'

export async function handler(event: AuthorizerEvent) {
  return {
    isAuthorized: event.authorizationToken === DEMO_TOKEN,
    resolverContext: { partner: 'demo' },
    ttlOverride: 0,
  }
}
