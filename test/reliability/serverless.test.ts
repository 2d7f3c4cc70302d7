// The module on serverless targets: the fixture built with Nitro's `aws-lambda` preset (its `handler` called with
// API Gateway events, in a plain Node process as a Lambda runtime does) and `aws_amplify` (Amplify Hosting's
// compute bundle, run as its own process).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildNuxt, loadNuxt } from '@nuxt/kit'
import { startCognito } from '../backends/cognito.mjs'
import { fixtureDir } from '../support/fixtures'
import { figure } from './lib/figure'
import { startLambda } from './lib/lambda'
import type { LambdaFunction } from './lib/lambda'
import { startServerProcess } from './lib/server-process'
import type { ServerProcess } from './lib/server-process'
import { CookieJar, cookieHeader, createUsers, expiredTokens, tokenUsername } from './lib/sessions'
import type { TestUser } from './lib/sessions'

const work = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-serverless-'))
const backend = await startCognito({ dir: join(work, 'cognito'), poolName: 'serverless', emailUsernames: false })
const env = {
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: backend.endpoint,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_ID: backend.userPoolId,
  NUXT_PUBLIC_AMPLIFY_USER_POOL_CLIENT_ID: backend.userPoolClientId,
}
const clientId = backend.userPoolClientId

afterAll(async () => {
  await backend.stop()
  rmSync(work, { recursive: true, force: true })
})

/** Builds the fixture with `preset` into `<work>/<preset>`; returns Nitro's output directory. */
async function buildWithPreset(preset: string): Promise<string> {
  const outDir = join(work, preset)
  const nuxt = await loadNuxt({
    cwd: fixtureDir('reliability-serverless'),
    dev: false,
    overrides: { buildDir: join(outDir, '.nuxt'), nitro: { preset, output: { dir: join(outDir, 'output') } } },
  })
  const started = performance.now()
  await buildNuxt(nuxt)
  await nuxt.close()
  figure(`serverless: built with preset ${preset} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return join(outDir, 'output')
}

let users: TestUser[] = []
beforeAll(async () => {
  users = await createUsers(backend, 2, 'sls-user')
}, 60_000)

/** An API Gateway HTTP API (payload 2.0) event, cookies in `cookies` as API Gateway sends them. */
function httpApiEvent(path: string, cookie?: string) {
  const [rawPath, rawQueryString = ''] = path.split('?') as [string, string?]
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookie && { cookies: cookie.split('; ') }),
    headers: { 'host': 'app.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-port': '443', 'accept': 'text/html,application/json' },
    ...(rawQueryString && { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'app.example.com',
      http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  }
}

/** An API Gateway REST API (payload 1.0) event: cookies in the Cookie header, Set-Cookie back in multiValueHeaders. */
function restApiEvent(path: string, cookie: string) {
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: 'GET',
    headers: { 'Host': 'app.example.com', 'X-Forwarded-Proto': 'https', 'Cookie': cookie },
    multiValueHeaders: { 'Host': ['app.example.com'], 'X-Forwarded-Proto': ['https'], 'Cookie': [cookie] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    requestContext: { httpMethod: 'GET', path, stage: 'prod', requestId: 'req', identity: { sourceIp: '127.0.0.1' } },
    body: null,
    isBase64Encoded: false,
  }
}

const testId = (html: string, id: string) => html.match(new RegExp(`data-testid="${id}">([^<]*)<`))?.[1]?.trim()

describe('aws-lambda preset, handler invoked directly with API Gateway events', () => {
  let lambda: LambdaFunction
  const invoke = (event: object) => lambda.invoke(event)

  beforeAll(async () => {
    const output = await buildWithPreset('aws-lambda')
    lambda = await startLambda(join(output, 'server/index.mjs'), env)
  }, 180_000)
  afterAll(() => lambda?.stop())

  it('answers signed in from the session cookies of an HTTP API event, on a page and an API route', async () => {
    const [user] = users as [TestUser]
    const cookie = cookieHeader(clientId, user.tokens)

    const api = await invoke(httpApiEvent('/api/whoami', cookie))
    expect(api.statusCode).toBe(200)
    expect(api.headers['content-type']).toMatch(/^application\/json/)
    expect(api.isBase64Encoded).toBe(false)
    expect(JSON.parse(api.body)).toEqual({ username: user.username, sub: user.sub, tokenUsername: user.username, email: user.username })
    expect(api.cookies, 'a valid session writes no cookie').toBeUndefined()

    const page = await invoke(httpApiEvent('/whoami', cookie))
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(testId(page.body, 'user')).toBe(user.username)
    expect(testId(page.body, 'email')).toBe(user.username)

    const signedOut = await invoke(httpApiEvent('/whoami?tab=1'))
    expect(signedOut.statusCode).toBe(302)
    expect(signedOut.headers.location).toBe('/login?redirect=/whoami?tab=1')
    expect((await invoke(httpApiEvent('/api/whoami'))).statusCode).toBe(401)
    figure(`serverless: aws-lambda handler, HTTP API events: signed in on page and API, signed out -> 302 / 401`)
  })

  it('refreshes an expired session and returns the new tokens in `cookies`, Secure behind HTTPS', async () => {
    const [, user] = users as [TestUser, TestUser]
    const cookie = cookieHeader(clientId, await expiredTokens(user.tokens), user.username)
    const res = await invoke(httpApiEvent('/api/whoami', cookie))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body).username).toBe(user.username)
    expect(res.headers['set-cookie'], 'API Gateway v2 takes cookies from `cookies`, not a header').toBeUndefined()
    const access = res.cookies?.find(line => line.includes('.accessToken='))
    expect(access, 'the refreshed access token is written back').toBeDefined()
    expect(access).toMatch(/;\s*Secure/i)
    expect(tokenUsername(access!.split(';')[0]!.split('=')[1]!)).toBe(user.username)

    // The browser sends the refreshed cookies on the next invocation: signed in, nothing more to write.
    const jar = new CookieJar(cookie)
    jar.apply(res.cookies!)
    const next = await invoke(httpApiEvent('/api/whoami', jar.header()))
    expect(JSON.parse(next.body).username).toBe(user.username)
    expect(next.cookies?.some(line => line.includes('.accessToken='))).toBeFalsy()
  })

  it('answers a REST API (payload 1.0) event too, Set-Cookie in multiValueHeaders', async () => {
    const [user] = users as [TestUser]
    const ok = await invoke(restApiEvent('/api/whoami', cookieHeader(clientId, user.tokens)))
    expect(ok.statusCode).toBe(200)
    expect(JSON.parse(ok.body).username).toBe(user.username)
    const refreshed = await invoke(restApiEvent('/api/whoami', cookieHeader(clientId, await expiredTokens(user.tokens), user.username)))
    expect(refreshed.statusCode).toBe(200)
    expect(refreshed.cookies).toBeUndefined()
    expect(refreshed.multiValueHeaders?.['set-cookie']?.some(line => line.includes('.accessToken='))).toBe(true)
  })
})

describe('aws_amplify preset (Amplify Hosting compute)', () => {
  let output: string
  let server: ServerProcess
  beforeAll(async () => {
    output = await buildWithPreset('aws_amplify')
    server = await startServerProcess(join(output, 'compute/default/server.js'), env,
      ['--import', pathToFileURL(fileURLToPath(new URL('./lib/listen-on-port.mjs', import.meta.url))).href])
  }, 180_000)
  afterAll(() => server?.stop())

  it('writes the Amplify Hosting layout: deploy manifest, compute entry, static assets', () => {
    const manifest = JSON.parse(readFileSync(join(output, 'deploy-manifest.json'), 'utf8'))
    expect(manifest.version).toBe(1)
    expect(manifest.computeResources).toEqual([{ name: 'default', entrypoint: 'server.js', runtime: expect.stringMatching(/^nodejs\d+\.x$/) }])
    expect(manifest.routes.at(-1)).toMatchObject({ path: '/*', target: { kind: 'Compute', src: 'default' } })
    expect(existsSync(join(output, 'compute/default/server.js'))).toBe(true)
    expect(existsSync(join(output, 'static/_nuxt'))).toBe(true)
  })

  it('serves signed-in pages and API routes from the compute bundle, and refreshes', async () => {
    const [user, other] = users as [TestUser, TestUser]
    const get = (path: string, cookie?: string) => fetch(new URL(path, server.url), { redirect: 'manual', headers: cookie ? { cookie } : {} })
    const cookie = cookieHeader(clientId, user.tokens)
    const api = await get('/api/whoami', cookie)
    expect(api.status).toBe(200)
    expect((await api.json()).username).toBe(user.username)
    expect(testId(await (await get('/whoami', cookie)).text(), 'user')).toBe(user.username)
    expect((await get('/whoami')).status).toBe(302)

    const refreshed = await get('/api/whoami', cookieHeader(clientId, await expiredTokens(other.tokens), other.username))
    expect((await refreshed.json()).username).toBe(other.username)
    expect(refreshed.headers.getSetCookie().some(line => line.includes('.accessToken='))).toBe(true)
    figure(`serverless: aws_amplify compute bundle: signed in on page and API, signed out -> 302, refresh written back`)
  })
})
