// The HTTP-level checks each compatibility cell must pass: the same behaviour as test/e2e/basic.test.ts,
// against a consumer app built from the packed module and served by `node .output/server/index.mjs`.
import assert from 'node:assert/strict'
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose'
import { browserCookies, expiredCopy, signIn } from '../test/backends/cognito.mjs'

export const USER = { username: 'alice@example.com', password: 'Alice-passw0rd!', name: 'Alice' }
/** In the Cognito group `admin`, which the apps' `/admin/**` and `/api/admin/**` route rules ask for. */
export const ADMIN = { username: 'admin@example.com', password: 'Admin-passw0rd!', name: 'Admin' }

/** The users of the checks, idempotent: a second run finds them and the group already there. */
export async function seedUsers(cognito) {
  for (const user of [USER, ADMIN]) await cognito.ensureUser(user.username, user.password, { name: user.name })
  await cognito.admin('CreateGroup', { GroupName: 'admin' }).catch((error) => {
    if (error.name !== 'GroupExistsException') throw error
  })
  await cognito.admin('AdminAddUserToGroup', { Username: ADMIN.username, GroupName: 'admin' })
}

/** Cookies of a real session, of one whose access token is signed with a key that is not the pool's, and of one to refresh. */
export async function sessions(cognito) {
  const tokens = await signIn(cognito, USER.username, USER.password)
  const { privateKey } = await generateKeyPair('RS256')
  const forged = await new SignJWT(decodeJwt(tokens.AccessToken))
    .setProtectedHeader(decodeProtectedHeader(tokens.AccessToken))
    .sign(privateKey)
  return {
    signedIn: browserCookies(cognito.userPoolClientId, tokens),
    admin: browserCookies(cognito.userPoolClientId, await signIn(cognito, ADMIN.username, ADMIN.password)),
    forged: browserCookies(cognito.userPoolClientId, { ...tokens, AccessToken: forged }, USER.username),
    expired: browserCookies(cognito.userPoolClientId, {
      AccessToken: await expiredCopy(tokens.AccessToken),
      IdToken: await expiredCopy(tokens.IdToken),
      RefreshToken: tokens.RefreshToken,
    }),
  }
}

function expectLoginRedirect(res, from) {
  assert.equal(res.status, 302)
  const location = new URL(res.headers.get('location'), 'http://x')
  assert.equal(location.pathname, '/login')
  assert.equal(location.searchParams.get('redirect'), from)
}

/** Named checks; each throws on failure. `baseUrl` is the running app. */
export function authChecks(baseUrl, { signedIn, admin, forged }) {
  const get = (path, cookie) => fetch(new URL(path, baseUrl), { redirect: 'manual', headers: cookie ? { cookie } : {} })
  return {
    'signed in: protected page 200 with the user and attributes (SSR)': async () => {
      const res = await get('/profile', signedIn)
      assert.equal(res.status, 200)
      const html = await res.text()
      assert.match(html, /data-testid="username">\s*alice@example\.com/)
      assert.match(html, /data-testid="name">\s*Alice/)
    },
    'signed in: protected API 200 with the attributes': async () => {
      const res = await get('/api/profile', signedIn)
      assert.equal(res.status, 200)
      const body = await res.json()
      assert.equal(body.username, USER.username)
      assert.equal(body.attributes.name, USER.name)
    },
    'signed in: guest-only login page 302 to /': async () => {
      const res = await get('/login', signedIn)
      assert.equal(res.status, 302)
      assert.equal(res.headers.get('location'), '/')
    },
    'signed out: protected page 302 to /login?redirect=': async () => {
      expectLoginRedirect(await get('/profile'), '/profile')
    },
    'signed out: protected API 401, login page 200': async () => {
      const res = await get('/api/profile')
      assert.equal(res.status, 401)
      assert.equal((await res.json()).message, 'Authentication required')
      assert.equal((await get('/login')).status, 200)
    },
    'forged token: signed out everywhere': async () => {
      expectLoginRedirect(await get('/profile', forged), '/profile')
      assert.equal((await get('/api/profile', forged)).status, 401)
      assert.deepEqual(await (await get('/api/me', forged)).json(), { user: null })
    },
    'groups: route rules admit the admin group to its pages (SSR) and routes': async () => {
      const page = await get('/admin', admin)
      assert.equal(page.status, 200)
      assert.match(await page.text(), /data-testid="groups">\s*admin/)
      const api = await get('/api/admin/stats', admin)
      assert.equal(api.status, 200)
      assert.deepEqual(await api.json(), { groups: ['admin'] })
    },
    'groups: others get a 403 page and 403 JSON, the signed-out the login page and 401': async () => {
      const page = await fetch(new URL('/admin', baseUrl), { redirect: 'manual', headers: { cookie: signedIn, accept: 'text/html' } })
      assert.equal(page.status, 403)
      const api = await get('/api/admin/stats', signedIn)
      assert.equal(api.status, 403)
      assert.equal((await api.json()).message, 'Forbidden')
      expectLoginRedirect(await get('/admin'), '/admin')
      assert.equal((await get('/api/admin/stats')).status, 401)
      assert.equal((await get('/api/admin/stats', forged)).status, 401)
    },
    'production build: no DevTools route': async () => {
      assert.equal((await get('/_amplify/devtools', signedIn)).status, 404)
    },
  }
}

/** Gen2 data against the local AppSync serving the apps' schema (test/compat/amplify): routes and an SSR page. */
export function dataChecks(baseUrl, { signedIn }) {
  const call = (path, cookie, init = {}) => fetch(new URL(path, baseUrl), { redirect: 'manual', ...init, headers: { ...init.headers, ...(cookie && { cookie }) } })
  const content = `compat todo ${Date.now()}`
  let owner
  return {
    'data, signed in: getAmplifyDataClient creates and lists the user\'s own records': async () => {
      const created = await call('/api/todos', signedIn, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ content }) })
      assert.equal(created.status, 200, await created.clone().text())
      ;({ owner } = await created.json())
      assert.match(owner, /^[\w-]+::/)
      const listed = await call('/api/todos', signedIn)
      assert.equal(listed.status, 200)
      const todos = await listed.json()
      assert.ok(todos.some(todo => todo.content === content), JSON.stringify(todos))
      assert.deepEqual([...new Set(todos.map(todo => todo.owner))], [owner])
    },
    'data, signed out: route 401 JSON': async () => {
      const res = await call('/api/todos')
      assert.equal(res.status, 401)
      assert.equal(typeof (await res.json()).message, 'string')
    },
    'data, signed in: useAmplifyData renders the user\'s records on the server': async () => {
      const res = await call('/todos', signedIn)
      assert.equal(res.status, 200)
      assert.ok((await res.text()).includes(content), `no "${content}" in the SSR HTML of /todos`)
    },
  }
}

/** `Set-Cookie` values of a response, by cookie name. */
const setCookies = res => new Map(res.headers.getSetCookie().map(header => [header.slice(0, header.indexOf('=')), header]))

/**
 * What the edge cells check beyond `authChecks` and `dataChecks` (the app of test/compat/edge): a refresh written
 * back, server sign-in, REST, GraphQL and Storage through `runAmplifyApi`.
 */
export function edgeChecks(baseUrl, { signedIn, expired }) {
  const call = (path, cookie, init = {}) => fetch(new URL(path, baseUrl), { redirect: 'manual', ...init, headers: { ...init.headers, ...(cookie && { cookie }) } })
  return {
    'refresh: an expired session is refreshed once and the new tokens written back': async () => {
      const res = await call('/api/profile', expired)
      assert.equal(res.status, 200, await res.clone().text())
      assert.equal((await res.json()).username, USER.username)
      const written = [...setCookies(res).entries()].filter(([name]) => name.endsWith('.accessToken'))
      assert.equal(written.length, 1, 'one accessToken cookie written')
      const token = decodeURIComponent(written[0][1].split(';')[0].split('=')[1])
      assert.ok(decodeJwt(token).exp * 1000 > Date.now(), 'the written access token is a fresh one')
    },
    'serverAuth: password sign-in sets HttpOnly cookies that sign the next request in': async () => {
      const res = await call('/api/auth/sign-in', undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'origin': baseUrl, 'sec-fetch-site': 'same-origin' },
        body: JSON.stringify({ username: USER.username, password: USER.password }),
      })
      assert.equal(res.status, 200, await res.clone().text())
      assert.equal((await res.json()).isSignedIn, true)
      const cookies = [...setCookies(res).values()]
      assert.ok(cookies.some(cookie => /\.accessToken=eyJ/.test(cookie) && /HttpOnly/i.test(cookie)), cookies.join('\n'))
      const cookie = cookies.map(header => header.split(';')[0]).join('; ')
      const session = await (await call('/api/auth/session', cookie)).json()
      assert.equal(session.user.username, USER.username)
    },
    'REST: runAmplifyApi with the identity pool (IAM) and with a user-pool authorizer': async () => {
      for (const query of ['', '?auth=userPool']) {
        const res = await call(`/api/rest${query}`, signedIn)
        assert.equal(res.status, 200, await res.clone().text())
        const body = await res.json()
        assert.equal(body.caller.username, USER.username, JSON.stringify(body))
        assert.equal(body.caller.auth, query ? 'userPool' : 'iam')
      }
      // Signed out: the identity pool's guest credentials, which the API refuses on this path.
      assert.equal((await call('/api/rest')).status, 403)
    },
    'GraphQL: a document of one\'s own through getAmplifyGraphQLClient': async () => {
      const res = await call('/api/graphql', signedIn)
      assert.equal(res.status, 200, await res.clone().text())
      const items = await res.json()
      assert.ok(Array.isArray(items) && items.length > 0, JSON.stringify(items))
      assert.equal(new Set(items.map(item => item.owner)).size, 1)
    },
    'Storage: list through runAmplifyApi, with the identity pool\'s credentials': async () => {
      const res = await call('/api/storage', signedIn)
      assert.equal(res.status, 200, await res.clone().text())
      assert.ok(Array.isArray(await res.json()))
    },
    'Storage: uploadData, getProperties, list and remove': async () => {
      const body = `edge ${Date.now()}`
      const res = await call('/api/storage', signedIn, { method: 'POST', headers: { 'content-type': 'text/plain' }, body })
      assert.equal(res.status, 200, await res.clone().text())
      const result = await res.json()
      assert.deepEqual({ ...result, path: undefined }, { path: undefined, size: body.length, listed: true, listedAfterRemove: false })
      assert.equal((await call('/api/storage', undefined, { method: 'POST', body })).status, 403)
    },
  }
}
