// The AppSync schema of a Gen2 data schema, as deployed: Amplify's own transformer (`@aws-amplify/data-construct`,
// what `defineData` deploys) run in an offline CDK app. It writes the full AppSync SDL (connections, filter, condition
// and input types, auth directives) as an asset; nothing is deployed. Slow (aws-cdk-lib, several seconds) and chatty
// (CDK deprecation notes, transformer warnings): run as a child process (`node transform.mjs <mode> < schema`, the
// AppSync SDL on stdout), whose result the caller caches.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Gen2's `defaultAuthorizationMode` names -> AppSync's. */
export const APPSYNC_AUTH_TYPES = {
  userPool: 'AMAZON_COGNITO_USER_POOLS',
  apiKey: 'API_KEY',
  iam: 'AWS_IAM',
  identityPool: 'AWS_IAM',
  lambda: 'AWS_LAMBDA',
}

/**
 * @param {string} sdl  `schema.transform().schema` of an `a.schema(...)`
 * @param {{ defaultAuthorizationMode?: keyof typeof APPSYNC_AUTH_TYPES }} [options]
 * @returns {Promise<string>} the AppSync schema (without AppSync's built-in scalars and directives)
 */
export async function transformToAppSync(sdl, { defaultAuthorizationMode = 'userPool' } = {}) {
  const [{ App, Duration, Stack }, { UserPool }, { Role }, { Function }, { AmplifyData, AmplifyDataDefinition }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/aws-cognito'),
    import('aws-cdk-lib/aws-iam'),
    import('aws-cdk-lib/aws-lambda'),
    import('@aws-amplify/data-construct'),
  ])
  const outdir = mkdtempSync(join(tmpdir(), 'local-appsync-'))
  try {
    const app = new App({ outdir })
    const account = '000000000000'
    const stack = new Stack(app, 'LocalAppSync', { env: { account, region: 'us-east-1' } })
    const role = name => Role.fromRoleArn(stack, name, `arn:aws:iam::${account}:role/${name}`)
    new AmplifyData(stack, 'Data', {
      definition: AmplifyDataDefinition.fromString(sdl),
      authorizationModes: {
        defaultAuthorizationMode: APPSYNC_AUTH_TYPES[defaultAuthorizationMode],
        userPoolConfig: { userPool: UserPool.fromUserPoolId(stack, 'UserPool', 'us-east-1_local') },
        apiKeyConfig: { expires: Duration.days(30) },
        lambdaConfig: {
          function: Function.fromFunctionArn(stack, 'Authorizer', `arn:aws:lambda:us-east-1:${account}:function:authorizer`),
          ttl: Duration.seconds(0),
        },
        identityPoolConfig: {
          identityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
          authenticatedUserRole: role('authenticated'),
          unauthenticatedUserRole: role('unauthenticated'),
        },
      },
    })
    app.synth()
    const asset = readdirSync(outdir).find(name => name.endsWith('.graphql'))
    if (!asset) throw new Error('The Amplify data construct wrote no GraphQL schema')
    return readFileSync(join(outdir, asset), 'utf8')
  }
  finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sdl = readFileSync(0, 'utf8')
  const appSync = await transformToAppSync(sdl, { defaultAuthorizationMode: process.argv[2] })
  process.stdout.write(appSync)
}
