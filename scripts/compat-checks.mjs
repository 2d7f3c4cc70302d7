// The HTTP-level checks each compatibility cell must pass: the same behaviour as test/e2e/basic.test.ts,
// against a consumer app built from the packed module and served by `node .output/server/index.mjs`.
import assert from 'node:assert/strict'
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose'
import { browserCookies, signIn } from '../test/backends/cognito.mjs'

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

/** Cookies of a real session, and of one whose access token is signed with a key that is not the pool's. */
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
