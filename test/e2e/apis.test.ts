// REST, GraphQL and Storage through the module, from server routes and from SSR pages (useAmplify), signed in
// through the Cognito emulator and signed out (guest identity), against the local services of apis-backend.mjs.
import { existsSync } from 'node:fs'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { fetch, getServerLogs, setup, url } from '@nuxt/test-utils/e2e'
import { BUCKET, startApisBackend } from '../backends/apis-backend.mjs'
import { REGION, browserCookies, signIn } from '../backends/cognito.mjs'
import { createS3Fetch } from '../backends/s3-route.mjs'
import { fixtureDir, SETUP_TIMEOUT_MS, USERS, writeOutputs } from '../support/fixtures'

const cognito = inject('cognito')
const [alice, bob] = USERS
const backend = await startApisBackend({ region: REGION, issuer: cognito.issuer, userPoolClientId: cognito.userPoolClientId })
afterAll(() => backend.stop())
backend.s3.seed(BUCKET, 'public/seed.txt', 'seeded content')
writeOutputs('apis', { region: REGION, userPoolId: cognito.userPoolId, userPoolClientId: cognito.userPoolClientId }, backend.outputs)

await setup({
  setupTimeout: SETUP_TIMEOUT_MS,
  rootDir: fixtureDir('apis'),
  env: { NUXT_PUBLIC_AMPLIFY_USER_POOL_ENDPOINT: cognito.endpoint, ...backend.env },
})

/** Presigned URLs point at S3's real host: the test process reaches the local bucket the same way the app does. */
const s3Fetch = createS3Fetch(backend.s3.endpoint)

async function sessionOf(user: typeof alice) {
  const tokens = await signIn({ endpoint: cognito.endpoint, userPoolClientId: cognito.userPoolClientId }, user.username, user.password)
  return browserCookies(cognito.userPoolClientId, tokens, user.username)
}
const [aliceCookie, bobCookie] = [await sessionOf(alice), await sessionOf(bob)]

function request(path: string, cookie?: string, init: RequestInit = {}) {
  return fetch(path, { redirect: 'manual', ...init, headers: { ...(cookie && { cookie }), ...init.headers as Record<string, string> } })
}

async function json(path: string, cookie?: string, init?: RequestInit) {
  const res = await request(path, cookie, init)
  return { status: res.status, body: await res.json() }
}

const graphql = (cookie: string | undefined, query: string, authMode?: string, variables?: object) =>
  json('/api/graphql', cookie, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, authMode, variables }) })

/** The JSON a fixture page renders in `<pre data-testid="…">`. */
async function pageData(path: string, testId: string, cookie?: string) {
  const res = await request(path, cookie)
  expect(res.status).toBe(200)
  const html = await res.text()
  const match = new RegExp(`data-testid="${testId}">([^<]*)</pre>`).exec(html)
  expect(match, `${testId} in ${path}`).toBeTruthy()
  const text = match![1]!.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')
  return text ? JSON.parse(text) : null
}

async function serverLogs() {
  return (await getServerLogs()).map(line => JSON.stringify(line)).join('\n')
}

describe('REST from server routes', () => {
  it.each(['get', 'post', 'put', 'patch', 'del'])('%s is signed with the signed-in user\'s credentials (IAM)', async (verb) => {
    const { status, body } = await json(`/api/rest/${verb}`, aliceCookie)
    expect(status).toBe(200)
    expect(body.echo).toMatchObject({
      method: verb === 'del' ? 'DELETE' : verb.toUpperCase(),
      path: '/items',
      query: { from: 'route' },
      caller: { auth: 'iam', authenticated: true, username: alice.username },
    })
    if (['post', 'put', 'patch'].includes(verb)) expect(body.echo.body).toEqual({ text: `${verb} from a route` })
  })

  it('head answers with status and headers only', async () => {
    expect(await json('/api/rest/head', aliceCookie)).toEqual({ status: 200, body: { statusCode: 200, method: 'HEAD', user: alice.username } })
  })

  it('sends the user\'s Cognito token instead of a signature when the route passes it (Cognito authorizer)', async () => {
    const { status, body } = await json('/api/rest-user-pool', aliceCookie)
    expect(status).toBe(200)
    expect(body.caller).toMatchObject({ auth: 'userPool', tokenUse: 'id', username: alice.username })
  })

  it.each(['get', 'post', 'put', 'patch', 'del', 'head'])('signed out: %s on a members-only path answers the API\'s 403', async (verb) => {
    const { status, body } = await json(`/api/rest/${verb}`)
    expect(status).toBe(403)
    expect(body.data.code).toBe('AccessDeniedException')
  })

  it('signed out: guest credentials reach public paths, other paths answer the API\'s 403', async () => {
    const guest = await json('/api/rest/get?path=/public/items')
    expect(guest.status).toBe(200)
    expect(guest.body.echo.caller).toMatchObject({ auth: 'iam', authenticated: false, username: null })
    const denied = await json('/api/rest/post')
    expect(denied.status).toBe(403)
    expect(denied.body).toMatchObject({ statusCode: 403, message: 'Not allowed', data: { code: 'AccessDeniedException' } })
  })
})

describe('REST from an SSR page (useAmplify().API)', () => {
  it('runs all six verbs in the request\'s context', async () => {
    const data = await pageData('/rest', 'rest', aliceCookie)
    for (const verb of ['get', 'post', 'put', 'patch', 'del']) {
      expect(data[verb].caller, verb).toMatchObject({ auth: 'iam', authenticated: true, username: alice.username })
    }
    expect(data.get.query).toEqual({ from: 'page' })
    expect(data.post.body).toEqual({ text: 'post from SSR' })
    expect(data.head).toEqual({ statusCode: 200, method: 'HEAD', user: alice.username })
  })

  it('signed out: a guest on public paths, the API\'s refusal elsewhere', async () => {
    const data = await pageData('/rest?area=public', 'rest')
    expect(data.get.caller).toMatchObject({ authenticated: false, username: null })
    const html = await (await request('/rest')).text()
    expect(html).toContain('User is not authorized to access this resource')
  })
})

describe('GraphQL from server routes (getAmplifyGraphQLClient)', () => {
  it('calls in each auth mode with the request\'s user', async () => {
    const whoami = '{ whoami { auth authenticated username } }'
    expect((await graphql(aliceCookie, whoami, 'userPool')).body.data.whoami).toEqual({ auth: 'userPool', authenticated: true, username: alice.username })
    expect((await graphql(aliceCookie, whoami, 'iam')).body.data.whoami).toEqual({ auth: 'iam', authenticated: true, username: alice.username })
    expect((await graphql(aliceCookie, whoami, 'apiKey')).body.data.whoami).toEqual({ auth: 'apiKey', authenticated: false, username: null })
  })

  it('writes and reads the user\'s own data with the default auth mode (user pool)', async () => {
    const created = await graphql(aliceCookie, 'mutation Add($text: String!) { createNote(text: $text) { text owner } }', undefined, { text: 'from a route' })
    expect(created.body.data.createNote).toEqual({ text: 'from a route', owner: alice.username })
    const notes = (await graphql(aliceCookie, '{ listNotes { text } }')).body.data.listNotes
    expect(notes).toContainEqual({ text: 'from a route' })
    expect((await graphql(bobCookie, '{ listNotes { text } }')).body.data.listNotes).toEqual([])
  })

  it('makes one client per request and options, whoever asks', async () => {
    const { body } = await json('/api/graphql-client', aliceCookie)
    expect(body).toMatchObject({ sameClient: true, iamIsOther: true })
    expect(body.default.data.whoami.auth).toBe('userPool')
    expect(body.iam.data.whoami.auth).toBe('iam')
  })

  it('signed out: 401 for user-pool auth, a guest for IAM, 403 for fields guests may not use, API key works', async () => {
    const userPool = await graphql(undefined, '{ whoami { auth } }', 'userPool')
    expect(userPool.status).toBe(401)
    expect(userPool.body.data.code).toBe('NoValidAuthTokens')
    expect((await graphql(undefined, '{ whoami { auth authenticated } }', 'iam')).body.data.whoami).toEqual({ auth: 'iam', authenticated: false })
    const denied = await graphql(undefined, '{ listNotes { text } }', 'iam')
    expect(denied.status).toBe(403)
    expect(denied.body.data.code).toBe('Unauthorized')
    expect((await graphql(undefined, '{ publicMessage }', 'apiKey')).body.data.publicMessage).toBe('Hello from the local GraphQL API')
  })
})

describe('GraphQL from an SSR page (useAmplify().API.graphql)', () => {
  it('calls in each auth mode with the request\'s user', async () => {
    await graphql(aliceCookie, 'mutation { createNote(text: "for the page") { id } }')
    const data = await pageData('/graphql', 'graphql', aliceCookie)
    expect(data.userPool.ok.whoami).toEqual({ auth: 'userPool', authenticated: true, username: alice.username })
    expect(data.iam.ok.whoami).toEqual({ auth: 'iam', authenticated: true, username: alice.username })
    expect(data.apiKey.ok).toEqual({ publicMessage: 'Hello from the local GraphQL API', whoami: { auth: 'apiKey' } })
    expect(data.notes.ok.listNotes).toContainEqual({ text: 'for the page', owner: alice.username })
  })

  it('signed out: Amplify\'s own errors for user-pool auth and guarded fields, a guest for IAM', async () => {
    const data = await pageData('/graphql', 'graphql')
    expect(data.userPool.error).toBe('No federated jwt')
    expect(data.iam.ok.whoami).toEqual({ auth: 'iam', authenticated: false, username: null })
    expect(data.apiKey.ok.publicMessage).toBe('Hello from the local GraphQL API')
    expect(data.notes.error).toBe('No federated jwt') // the default auth mode is the user pool
  })
})

describe('Storage from server routes', () => {
  it('uploads, lists, reads properties, presigns, copies and removes in the user\'s own folder', async () => {
    const upload = await json('/api/storage/upload?path=private/me/hello.txt', aliceCookie, { method: 'POST', body: 'hello from a route' })
    expect(upload.status).toBe(200)
    const path: string = upload.body.path
    expect(path).toMatch(/^private\/us-east-1:[0-9a-f-]{36}\/hello\.txt$/)

    const listed = await json('/api/storage/list?path=private/me/', aliceCookie)
    expect(listed.body.items.map((i: { path: string }) => i.path)).toContain(path)
    expect((await json('/api/storage/properties?path=private/me/hello.txt', aliceCookie)).body).toMatchObject({ path, size: 18, contentType: 'text/plain' })

    const { url } = (await json('/api/storage/url?path=private/me/hello.txt', aliceCookie)).body
    expect(new URL(url).hostname).toBe(`${BUCKET}.s3.${REGION}.amazonaws.com`)
    const download = await s3Fetch(url)
    expect(download.status).toBe(200)
    expect(await download.text()).toBe('hello from a route')
    // The local bucket checks the signature: a tampered link is refused.
    const tampered = url.replace(/X-Amz-Signature=[0-9a-f]{8}/, 'X-Amz-Signature=00000000')
    expect((await s3Fetch(tampered)).status).toBe(403)

    expect((await json('/api/storage/copy?path=private/me/hello.txt&to=private/me/copy.txt', aliceCookie)).body.path).toBe(path.replace('hello', 'copy'))
    expect(backend.s3.object(BUCKET, path.replace('hello', 'copy'))?.body.toString()).toBe('hello from a route')
    expect((await json('/api/storage/remove?path=private/me/copy.txt', aliceCookie)).status).toBe(200)
    expect(backend.s3.object(BUCKET, path.replace('hello', 'copy'))).toBeUndefined()
  })

  it('keeps one user out of another\'s private folder (403 from the bucket)', async () => {
    const path: string = (await json('/api/storage/upload?path=private/me/alice-only.txt', aliceCookie, { method: 'POST', body: 'secret' })).body.path
    const folder = path.slice(0, path.lastIndexOf('/') + 1)
    const denied = await json(`/api/storage/list?path=${encodeURIComponent(folder)}`, bobCookie)
    expect(denied.status).toBe(403)
    expect(denied.body.data.code).toBe('AccessDenied')
  })

  it('signed out: guests list, read and presign public files; may not upload, copy, remove or list private folders', async () => {
    const listed = await json('/api/storage/list?path=public/')
    expect(listed.status).toBe(200)
    expect(listed.body.items.map((i: { path: string }) => i.path)).toContain('public/seed.txt')
    expect((await json('/api/storage/properties?path=public/seed.txt')).body).toMatchObject({ size: 14 })
    const { url } = (await json('/api/storage/url?path=public/seed.txt')).body
    expect(await (await s3Fetch(url)).text()).toBe('seeded content')
    expect((await json('/api/storage/upload?path=public/guest.txt', undefined, { method: 'POST', body: 'x' })).status).toBe(403)
    expect((await json('/api/storage/copy?path=public/seed.txt&to=public/guest-copy.txt')).status).toBe(403)
    expect((await json('/api/storage/remove?path=public/seed.txt')).status).toBe(403)
    expect(backend.s3.object(BUCKET, 'public/seed.txt')).toBeDefined()
    expect((await json('/api/storage/list?path=private/me/')).status).toBe(403)
  })
})

describe('Storage from an SSR page (useAmplify().Storage)', () => {
  it('uploads, copies, removes, lists, reads properties and presigns in the request\'s context', async () => {
    const data = await pageData('/storage?write=1', 'storage', aliceCookie)
    expect(data.upload.ok.path).toMatch(/^private\/us-east-1:[0-9a-f-]{36}\/ssr\.txt$/)
    expect(data.copy.ok.path).toBe(data.upload.ok.path.replace('ssr.txt', 'ssr-copy.txt'))
    expect(data.remove.ok.path).toBe(data.copy.ok.path)
    expect(data.private.ok).toContain(data.upload.ok.path)
    expect(data.private.ok).not.toContain(data.copy.ok.path)
    expect(data.public.ok).toContain('public/seed.txt')
    expect(data.properties.ok).toEqual({ size: 14, contentType: 'text/plain' })
    expect(await (await s3Fetch(data.url.ok)).text()).toBe('seeded content')
  })

  it('signed out: public files as a guest, the bucket\'s AccessDenied for private ones', async () => {
    const data = await pageData('/storage', 'storage')
    expect(data.public.ok).toContain('public/seed.txt')
    expect(data.private.error).toBe('AccessDenied')
    expect(await (await s3Fetch(data.url.ok)).text()).toBe('seeded content')
  })
})

describe('one request, one set of credentials', () => {
  it('REST, GraphQL (IAM) and Storage in one route share one identity and one credentials call', async () => {
    backend.identityPool.resetCounts()
    const { status, body } = await json('/api/one-request', aliceCookie)
    expect(status).toBe(200)
    expect(body.rest).toBe(body.graphql)
    // At most one of each: alice's credentials may already be in the module's cross-request cache (then none).
    const counts = backend.identityPool.counts as Record<string, number>
    expect(counts.GetId ?? 0).toBeLessThanOrEqual(1)
    expect(counts.GetCredentialsForIdentity ?? 0).toBeLessThanOrEqual(1)
  })
})

describe('browser APIs on the server', () => {
  it('a browser REST call inside runAmplifyApi: 500 and a log naming the server variant', async () => {
    const { status, body } = await json('/api/misuse/rest')
    expect(status).toBe(500)
    expect(body).toMatchObject({ message: 'Amplify API misused on the server', data: { code: 'NoAmplifyContextError' } })
    expect(await serverLogs()).toContain('use aws-amplify/api/server with the request\'s context')
  })

  it('a browser Storage call straight in a route: a log naming the server variant', async () => {
    expect((await request('/api/misuse/storage-bare')).status).toBe(500)
    expect(await serverLogs()).toContain('use aws-amplify/storage/server with the request\'s context')
    // Once per failure: the REST misuse above was said by runAmplifyApi, not again by the error hook.
    expect((await serverLogs()).match(/An Amplify browser API was called on the server/g)).toHaveLength(2)
  })

  it('a GraphQL subscription on the server: 500 and a log saying it is browser-only', async () => {
    expect((await json('/api/misuse/subscription')).status).toBe(500)
    expect(await serverLogs()).toContain('GraphQL subscriptions run in the browser only')
  })

  it('useAmplify() during SSR: browser-only calls say what to do instead', async () => {
    const data = await pageData('/misuse', 'misuse')
    expect(data.signIn).toContain('useAmplify().Auth.signIn() runs in the browser only')
    expect(data.downloadData).toContain('useAmplify().Storage.downloadData() runs in the browser only. Amplify has no server variant: on the server, use useAmplify().Storage.getUrl()')
    expect(data.subscription).toContain('GraphQL subscriptions run in the browser only')
  })
})

const CHROMIUM = '/usr/bin/chromium'

describe.skipIf(!existsSync(CHROMIUM))('in a browser: the same useAmplify() calls on client navigation', () => {
  it('REST, GraphQL and Storage pages render from the browser\'s own Amplify calls', async () => {
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const context = await browser.newContext()
      const base = url('/')
      // The cookies Amplify's browser client writes after a sign-in.
      await context.addCookies(aliceCookie.split('; ').map((pair) => {
        const at = pair.indexOf('=')
        return { name: pair.slice(0, at), value: pair.slice(at + 1), url: base }
      }))
      const page = await context.newPage()
      await page.goto(base)
      await page.waitForFunction(() => Boolean((document.querySelector('#__nuxt') as { __vue_app__?: unknown } | null)?.__vue_app__))
      const read = async (testId: string) => JSON.parse(await page.locator(`[data-testid=${testId}]`).textContent() ?? 'null')
      const restSeen = backend.rest.requests.length
      const s3Seen = backend.s3.counts.fromBrowser ?? 0

      await page.click('a[href="/storage"]')
      await page.waitForSelector('[data-testid=storage]')
      const storage = await read('storage')
      expect(storage.public.ok).toContain('public/seed.txt')
      expect(storage.private.ok.length).toBeGreaterThan(0)
      expect(storage.properties.ok).toEqual({ size: 14, contentType: 'text/plain' })
      expect(backend.s3.counts.fromBrowser).toBeGreaterThan(s3Seen)

      await page.goBack()
      await page.click('a[href="/graphql"]')
      await page.waitForSelector('[data-testid=graphql]')
      const graphqlData = await read('graphql')
      expect(graphqlData.userPool.ok.whoami).toEqual({ auth: 'userPool', authenticated: true, username: alice.username })
      expect(graphqlData.iam.ok.whoami).toEqual({ auth: 'iam', authenticated: true, username: alice.username })

      await page.goBack()
      await page.click('a[href="/rest"]')
      await page.waitForSelector('[data-testid=rest]')
      const rest = await read('rest')
      expect(rest.get.caller).toMatchObject({ auth: 'iam', authenticated: true, username: alice.username })
      expect(rest.get.query).toEqual({ from: 'page' })
      expect(backend.rest.requests.length).toBe(restSeen + 6)
    }
    finally {
      await browser.close()
    }
  })

  it('an API no source file names is not in the bundle, and a call says so and names the option', async () => {
    const { chromium } = await import('playwright-core')
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    try {
      const page = await browser.newPage()
      await page.goto(url('/left-out'))
      await page.waitForFunction(() => document.querySelector('[data-testid=left-out]')?.textContent)
      expect(await page.locator('[data-testid=left-out]').textContent()).toBe('[nuxt-amplify-ssr] useAmplify().Auth.confirmSignIn() '
        + 'is not in this browser build: no source file of the app names "confirmSignIn", so it was left out to keep the bundle '
        + 'small. Add \'Auth.confirmSignIn\' to amplify.clientApis in nuxt.config (or set it to \'all\').')
    }
    finally {
      await browser.close()
    }
  })
})
