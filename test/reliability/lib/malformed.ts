// Deterministic hostile requests (seeded): broken percent-encoding, huge and numerous cookies, unicode, duplicated
// names, LastAuthUser pointing elsewhere, hostile redirect targets, odd request targets and host headers.
import { encodeCookieName } from '../../../src/runtime/shared/cookies'
import type { Random } from './prng'
import type { TestUser, Tokens } from './sessions'

export type Cookie = [name: string, value: string]

export interface MalformedCase {
  kind: string
  /** Request target, sent as these exact bytes. */
  path: Buffer
  headers: [string, Buffer][]
  /** Usernames whose genuine tokens are in the request: the only users it may read as. */
  owners: string[]
  /** A genuine session next to junk that does not touch it: must still read as signed in. */
  intact?: boolean
  /** Login page, signed in: must redirect, to a same-site path. */
  signedInLogin?: boolean
  /** What is odd about it, for failure messages. */
  note?: string
}

export interface CaseInputs {
  clientId: string
  /** Genuine, signed-in users (at least three). */
  users: TestUser[]
  /** Tokens for users[1]'s identity signed with a key that is not the pool's. */
  forgedForSecond: Tokens
}

const ROUTES = ['/api/me', '/api/whoami', '/whoami', '/'] as const
const PREFIX = 'CognitoIdentityServiceProvider'

export const HOSTILE_TARGETS = [
  '//evil.example', '//evil.example/path', '///evil.example', '////evil.example', '//evil.example:443@x',
  '/\\evil.example', '\\\\evil.example', '/\\/evil.example', '\\/evil.example', '/./\\evil.example',
  'https://evil.example', 'http://evil.example/', 'HTTPS://evil.example', 'https:evil.example', 'https:/evil.example',
  'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', ' javascript:alert(1)', 'javascript://%0aalert(1)',
  'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)',
  '/\t/evil.example', '/\n/evil.example', '/\r\n/evil.example', '/\u0000/evil.example', '\u0000//evil.example', '/ /evil.example',
  '/\u000B/evil.example', '/\u007F/evil.example', '\t//evil.example', ' //evil.example',
  '/.//evil.example', '/x/..//evil.example', '/%2e//evil.example', '/..//evil.example', '/a/b/../../..//evil.example',
  '/%2F%2Fevil.example', '/%5Cevil.example', '/%2e%2e//evil.example', '%2F%2Fevil.example', '%252F%252Fevil.example',
  '//%65vil.example', '//evil.example%2F', 'evil.example', '.evil.example', '@evil.example', '/@evil.example',
  '/\u3000/evil.example', '/\u2028/evil.example', '\uFF0F\uFF0Fevil.example', '/\uFF0Fevil.example', '/\u2215\u2215evil.example',
  'http://127.0.0.1/whoami', '//127.0.0.1/whoami',
] as const

/** Same-site targets that must be honoured as they are. */
export const SAFE_TARGETS = ['/whoami', '/whoami?tab=2#top', '/', '/a/b?c=%2F%2Fd'] as const

const INVALID_PERCENT = ['%', '%%', '%zz', '%E0%A4%A', '%C0%AF', '%ED%A0%80', 'abc%', '%u0041', '%F0%9F%98', '%2', '%%32%30'] as const
const UNICODE = ['ünïcødé', '用户', '😀', '\u202Eevil', 'zero\u200Bwidth', 'ﬀ', 'Å', '\uFEFF', 'é'.normalize('NFD'), '𝒜'] as const
const encodeTarget = [
  (t: string) => encodeURIComponent(t),
  (t: string) => encodeURI(t),
  (t: string) => encodeURIComponent(encodeURIComponent(t)),
  (t: string) => encodeURIComponent(t).replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()),
  (t: string) => t.replace(/\//g, '%2F').replace(/\\/g, '%5C'),
  (t: string) => t, // raw bytes: the parser may refuse them (400), which is fine
] as const

const session = (clientId: string, user: TestUser, tokens: Tokens = user.tokens, storedAs = user.username): Cookie[] => {
  const base = `${PREFIX}.${clientId}`
  const name = encodeCookieName(storedAs)
  return [
    [`${base}.LastAuthUser`, encodeURIComponent(storedAs)],
    [`${base}.${name}.accessToken`, tokens.AccessToken],
    [`${base}.${name}.idToken`, tokens.IdToken],
    [`${base}.${name}.clockDrift`, '0'],
    ...(tokens.RefreshToken ? [[`${base}.${name}.refreshToken`, tokens.RefreshToken] as Cookie] : []),
  ]
}

const cookieHeader = (cookies: Cookie[]): [string, Buffer] => ['Cookie', Buffer.from(cookies.map(([n, v]) => `${n}=${v}`).join('; '))]

function insertAt<T>(random: Random, items: T[], extra: T[]): T[] {
  const out = [...items]
  for (const item of extra) out.splice(random.int(out.length + 1), 0, item)
  return out
}

/** `count` cases per generator, in a fixed order from `seed`'s random stream. */
export function generateCases(random: Random, inputs: CaseInputs, perKind: Record<string, number>): MalformedCase[] {
  const { clientId, users, forgedForSecond } = inputs
  const u1 = users[1]!
  const base = `${PREFIX}.${clientId}`
  const someUser = () => random.pick(users)
  const route = () => random.pick(ROUTES)
  const make = (kind: string, cookies: Cookie[], owners: string[], extra: Partial<MalformedCase> = {}, path: string = route()): MalformedCase =>
    ({ kind, path: Buffer.from(path), headers: cookies.length ? [cookieHeader(cookies)] : [], owners, ...extra })

  const generators: Record<string, () => MalformedCase> = {
    'invalid percent-encoding in names': () => {
      const user = someUser()
      const bad = random.pick(INVALID_PERCENT)
      const names = [
        `${bad}`, `${bad}=`, `${base}.${bad}.accessToken`, `${base}.${encodeCookieName(user.username)}${bad}.idToken`,
        `${base}.LastAuthUser${bad}`, `${PREFIX}${bad}.${clientId}.LastAuthUser`, `x${bad}y`,
      ]
      const junk: Cookie[] = Array.from({ length: 1 + random.int(4) }, () => [random.pick(names), random.chance(0.5) ? random.string(8) : encodeURIComponent(u1.username)])
      const withSession = random.chance(0.7)
      return make('invalid percent-encoding in names', insertAt(random, withSession ? session(clientId, user) : [], junk), withSession ? [user.username] : [])
    },
    'invalid percent-encoding in values': () => {
      const user = someUser()
      const cookies = session(clientId, user)
      const index = random.int(cookies.length)
      const bad = random.pick(INVALID_PERCENT)
      cookies[index] = [cookies[index]![0], random.pick([bad, `${cookies[index]![1]}${bad}`, `${bad}${cookies[index]![1]}`])]
      cookies.push([`${base}.${encodeCookieName(user.username)}.signInDetails`, random.pick(INVALID_PERCENT)])
      return make('invalid percent-encoding in values', cookies, [user.username])
    },
    'large cookie values': () => {
      const user = someUser()
      const size = random.pick([4097, 6000, 8 * 1024, 12 * 1024, 16 * 1024, 20 * 1024])
      const value = random.pick([
        () => random.string(size),
        () => `${random.string(size / 2)}.${random.string(size / 4)}.${random.string(size / 4 - 2)}`,
        () => user.tokens.AccessToken.repeat(Math.ceil(size / user.tokens.AccessToken.length)).slice(0, size),
      ])()
      const cookies = session(clientId, user)
      const where = random.int(3)
      if (where === 0) return make('large cookie values', [...cookies, [`big${random.int(100)}`, value]], [user.username], { intact: true, note: `an extra ${size}-byte cookie` })
      const key = where === 1 ? 'accessToken' : 'idToken'
      const index = cookies.findIndex(([name]) => name.endsWith(`.${key}`))
      cookies[index] = [cookies[index]![0], value]
      return make('large cookie values', cookies, [user.username], { note: `${key} replaced by ${size} bytes` })
    },
    '300 cookies': () => {
      const user = someUser()
      // Some look like other users' Amplify cookies; all 300 together stay under Node's 16 KB header limit.
      const amplifyLike = random.chance(0.5) ? 0.15 : 0
      const junk: Cookie[] = Array.from({ length: 300 }, (_, i) => random.chance(amplifyLike)
        ? [`${base}.u${i}%40x.${random.pick(['accessToken', 'idToken', 'refreshToken', 'clockDrift'])}`, random.string(6)]
        : [`c${i}_${random.string(3)}`, random.string(6)])
      const withSession = random.chance(0.7)
      return make('300 cookies', insertAt(random, junk, withSession ? session(clientId, user) : []), withSession ? [user.username] : [], { intact: withSession, note: `${amplifyLike ? 'some Amplify-like, ' : ''}${withSession ? 'with' : 'without'} a session` })
    },
    'unicode': () => {
      const user = someUser()
      const text = random.pick(UNICODE)
      const cookies = session(clientId, user)
      const variant = random.int(4)
      if (variant === 0) return make('unicode', [...cookies, [`${text}`, text]], [user.username])
      if (variant === 1) return make('unicode', [...cookies, [`${base}.${text}.accessToken`, text]], [user.username])
      if (variant === 2) {
        cookies[0] = [cookies[0]![0], random.pick([text, encodeURIComponent(text)])]
        return make('unicode', cookies, [user.username])
      }
      return make('unicode', cookies, [user.username], {}, `${route()}?${encodeURIComponent(text)}=${text}`)
    },
    'duplicated cookie names': () => {
      const user = random.pick(users.filter(u => u !== u1))
      const cookies = session(clientId, user)
      const variant = random.int(4)
      if (variant === 0) {
        // The access-token cookie twice: a forged one for another user, and the genuine one.
        const forged: Cookie = [cookies[1]![0], forgedForSecond.AccessToken]
        return make('duplicated cookie names', random.chance(0.5) ? [forged, ...cookies] : [...cookies, forged], [user.username])
      }
      if (variant === 1) {
        const other: Cookie = [`${base}.LastAuthUser`, encodeURIComponent(u1.username)]
        return make('duplicated cookie names', random.chance(0.5) ? [other, ...cookies] : [...cookies, other], [user.username])
      }
      if (variant === 2) {
        // The same keys with `@` raw and `%40` encoded: the raw ones hold tokens forged for another user.
        const raw = cookies.slice(1, 3).map(([name], i): Cookie => [name.replace('%40', '@'), i === 0 ? forgedForSecond.AccessToken : forgedForSecond.IdToken])
        return make('duplicated cookie names', insertAt(random, cookies, raw), [user.username])
      }
      return make('duplicated cookie names', insertAt(random, cookies, Array.from({ length: 20 }, () => cookies[random.int(cookies.length)]!)), [user.username])
    },
    'LastAuthUser pointing elsewhere': () => {
      const user = random.pick(users.filter(u => u !== u1))
      const cookies = session(clientId, user)
      const target = random.pick([
        encodeURIComponent(u1.username), u1.username, 'nobody%40example.com', '', '..', '.', '*', `${encodeURIComponent(user.username)}.accessToken`,
        random.string(2000), '%00', encodeURIComponent(`${u1.username}\u0000`), 'undefined', 'null', '__proto__', 'constructor',
      ])
      cookies[0] = [cookies[0]![0], target]
      const variant = random.int(3)
      const note = `LastAuthUser=${JSON.stringify(target.slice(0, 40))}, ${['alone', 'with forged tokens under that name', 'with the sender\'s tokens under that name'][variant]}`
      if (variant === 1) cookies.push(...session(clientId, u1, forgedForSecond).slice(1))
      // The requester's genuine tokens stored under the other user's names: they still say who they are.
      if (variant === 2) cookies.push(...session(clientId, user, user.tokens, u1.username).slice(1))
      return make('LastAuthUser pointing elsewhere', cookies, [user.username], { note })
    },
    'hostile redirect targets': () => {
      const signedIn = random.chance(0.75)
      const target = random.pick(HOSTILE_TARGETS)
      const encoded = random.pick(encodeTarget)(target)
      const note = `${signedIn ? 'signed in' : 'signed out'}, target ${JSON.stringify(target)}`
      const user = someUser()
      return make('hostile redirect targets', signedIn ? session(clientId, user) : [], signedIn ? [user.username] : [], { signedInLogin: signedIn, note }, `/login?redirect=${encoded}`)
    },
    'odd request targets': () => {
      const signedIn = random.chance(0.5)
      const user = someUser()
      const path = random.pick([
        '//evil.example/whoami', '/\\evil.example', '/%2F%2Fevil.example', '/whoami/../..//evil.example', '/whoami?redirect=//evil.example',
        '/%E0%A4%A', '/%', '/whoami%00', `/whoami/${random.string(6000)}`, 'http://evil.example/whoami', '/login/../whoami',
        '/whoami?redirect=%2F%2Fevil.example&redirect=/', '/login?redirect=/&redirect=//evil.example', '/login?redirect[]=//evil.example',
        '/login?redirect=//evil.example#', '/./whoami', '/WHOAMI', '/whoami/', '/api/me/', '/api/%6De', `/whoami?${'a=1&'.repeat(500)}`,
      ])
      return make('odd request targets', signedIn ? session(clientId, user) : [], signedIn ? [user.username] : [], {}, path)
    },
    'hostile host headers': () => {
      const user = someUser()
      const c = make('hostile host headers', session(clientId, user), [user.username], { signedInLogin: true }, `/login?redirect=${random.pick(['%2Fwhoami', '%2F%2Fevil.example', ''])}`)
      const header = random.pick(['X-Forwarded-Host', 'X-Forwarded-Proto', 'Forwarded', 'X-Forwarded-Prefix', 'Origin'])
      c.headers.push([header, Buffer.from(random.pick(['evil.example', 'javascript', 'host=evil.example;proto=https', '//evil.example', 'ünï.example']))])
      return c
    },
  }

  const cases: MalformedCase[] = []
  for (const [kind, count] of Object.entries(perKind)) {
    const generate = generators[kind]
    if (!generate) throw new Error(`No generator for ${kind}`)
    for (let i = 0; i < count; i++) cases.push(generate())
  }
  return cases
}

/** A Location a browser resolves to this site: a single-slash path with no characters browsers strip or fold. */
export function isSameSiteLocation(location: string, origin: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007F\\]/.test(location)) return false
  if (!location.startsWith('/') || location.startsWith('//')) return false
  return new URL(location, origin).origin === origin
}
