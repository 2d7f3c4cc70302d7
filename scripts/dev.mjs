// `npm run dev`: the playground against a local Cognito emulator, offline, with a seeded demo user, local stand-ins
// for an identity pool, a REST API and an S3 bucket (test/backends/apis-backend.mjs), and a local AppSync serving the
// playground's Gen2 data schema, playground/amplify/data/resource.ts (test/backends/appsync).
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BUCKET, REST_API_NAME, startApisBackend } from '../test/backends/apis-backend.mjs'
import { PLAYGROUND_SCHEMA, startAppSync } from '../test/backends/appsync/index.mjs'
import { startCognito } from '../test/backends/cognito.mjs'
import { startHostedUi } from '../test/backends/hosted-ui.mjs'
import { prepareModuleTypes } from './prepare.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const demo = { email: 'demo@example.com', password: 'Passw0rd!' }
// In the `admin` Cognito group: the only user who sees the playground's /admin page.
const admin = { email: 'admin@example.com', password: 'Passw0rd!' }

prepareModuleTypes()
const cognito = await startCognito({ dir: `${root}.data/cognito`, poolName: 'playground' })
await cognito.ensureUser(demo.email, demo.password, { name: 'Demo User' })
await cognito.ensureUser(admin.email, admin.password, { name: 'Admin User' })
await cognito.admin('CreateGroup', { GroupName: 'admin' }).catch((error) => {
  if (error.name !== 'GroupExistsException') throw error
})
await cognito.admin('AdminAddUserToGroup', { Username: admin.email, GroupName: 'admin' })
const apis = await startApisBackend(cognito, { graphql: false })
// The schema file drives the data API: its models, rules and custom operations, no seeding.
const appsync = await startAppSync({
  schemaFile: PLAYGROUND_SCHEMA,
  userPool: { issuer: cognito.issuer, clientId: cognito.userPoolClientId },
  identityPool: apis.identityPool,
  lambdaAuthorizer: fileURLToPath(new URL('../playground/amplify/data/custom-authorizer.ts', import.meta.url)),
})
apis.s3.seed(BUCKET, 'public/welcome.txt', 'Hello from the local S3 bucket. Everyone can read this public file, guests too.')

// AMPLIFY_SERVER_AUTH=1 (read by playground/nuxt.config.ts): server sign-in, and the emulator's Hosted UI, whose
// callback and sign-out URLs are those of `nuxi dev` on its port (PORT, default 3000).
const serverAuth = !!process.env.AMPLIFY_SERVER_AUTH && process.env.AMPLIFY_SERVER_AUTH !== '0'
const port = process.env.PORT || '3000'
const hostedUi = serverAuth ? await startHostedUi(cognito) : undefined
if (hostedUi) {
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`]
  await cognito.admin('UpdateUserPoolClient', {
    ClientId: cognito.userPoolClientId,
    CallbackURLs: origins.map(origin => `${origin}/api/auth/callback`),
    LogoutURLs: origins.map(origin => `${origin}/`),
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
  })
}

// What `npx ampx sandbox` would write; the emulator's endpoint is not part of that format, so it goes by env.
writeFileSync(`${root}playground/amplify_outputs.json`, JSON.stringify({
  version: '1.3',
  auth: {
    aws_region: cognito.region,
    user_pool_id: cognito.userPoolId,
    user_pool_client_id: cognito.userPoolClientId,
    username_attributes: ['email'],
    standard_required_attributes: ['email'],
    user_verification_types: ['email'],
    password_policy: { min_length: 8 },
    ...apis.outputs.auth,
  },
  data: appsync.outputs,
  storage: apis.outputs.storage,
  custom: apis.outputs.custom,
}, null, 2))

console.log(`
  Local Cognito emulator: ${cognito.endpoint} (pool ${cognito.userPoolId}, client ${cognito.userPoolClientId})
  Identity pool:  ${apis.identityPool.endpoint} (${apis.identityPool.identityPoolId})
  REST API "${REST_API_NAME}":  ${apis.rest.endpoint}
  Data (local AppSync, playground/amplify/data/resource.ts): ${appsync.endpoint}
  S3 bucket "${BUCKET}": ${apis.s3.endpoint} (Amplify's S3 requests are routed there, see test/backends/s3-route.mjs)
  Demo user:  ${demo.email}
  Password:   ${demo.password}
  Admin user: ${admin.email} / ${admin.password} (group "admin": /admin)
  Sign-in:    ${hostedUi ? `on the server (HttpOnly cookies); Hosted UI at ${hostedUi.url}` : 'in the browser (set AMPLIFY_SERVER_AUTH=1 for server sign-in)'}
`)

// `npm run dev` puts node_modules/.bin on PATH.
const nuxt = spawn('nuxi', ['dev', 'playground', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint,
    ...(hostedUi && { NUXT_PUBLIC_AMPLIFY_SERVER_AUTH_HOSTED_UI_DOMAIN: hostedUi.url }),
    // Identity pool endpoint, and S3 routing for the server process and the browser (playground/plugins).
    ...apis.env,
  },
})

const stop = async (code) => {
  nuxt.kill()
  await hostedUi?.stop()
  await appsync.stop()
  await apis.stop()
  await cognito.stop()
  process.exit(code ?? 0)
}
nuxt.on('exit', code => stop(code))
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))
