// The emulator's SRP front driven by Amplify's own client: `signIn` with the default flow, in Node, against a real
// cognito-local behind the proxy. The proofs are Amplify's; only their transport is tampered with where a test says so.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Amplify } from 'aws-amplify'
import { confirmSignIn, fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth'
import { ConsoleLogger } from 'aws-amplify/utils'
import { cognitoCall, startCognito } from '../backends/cognito.mjs'
import { N, createSrpFront, padHex, parseTimestamp } from '../backends/cognito-srp.mjs'
import { createTokenVerifier, defaultIssuer, verifyTokenPair } from '../../src/runtime/server/lib/tokens/token-verifier'

const user = { email: 'srp@example.com', password: 'Srp-passw0rd!' }
let dir: string
let cognito: Awaited<ReturnType<typeof startCognito>>

function configure(userPoolEndpoint = cognito.endpoint) {
  Amplify.configure({ Auth: { Cognito: { userPoolId: cognito.userPoolId, userPoolClientId: cognito.userPoolClientId, userPoolEndpoint } } })
}

type Exchange = { target: string, input: { ChallengeResponses?: Record<string, string>, [key: string]: unknown } }
const realFetch = globalThis.fetch
/**
 * Runs `fn` with Amplify's requests passing through `hook`, which may change a request's input before it is sent,
 * or answer it itself (by returning a Response); the hook's own requests, and the proxy's, go out untouched. Every exchange is recorded.
 */
async function throughHook<T>(fn: () => Promise<T>, hook: (exchange: Exchange) => unknown = () => undefined) {
  const sent: Exchange[] = []
  let inHook = false
  globalThis.fetch = async (url, init) => {
    // The proxy runs in this process too: its own calls to the emulator are not Amplify's.
    if (inHook || String(url).startsWith(cognito.emulatorUrl)) return realFetch(url, init)
    const target = new Headers(init?.headers).get('x-amz-target') ?? ''
    const exchange = { target: target.split('.').pop()!, input: JSON.parse(String(init?.body ?? '{}')) }
    sent.push(exchange)
    inHook = true
    const answered = await Promise.resolve(hook(exchange)).finally(() => inHook = false)
    return answered instanceof Response ? answered : realFetch(url, { ...init, body: JSON.stringify(exchange.input) })
  }
  try {
    return { result: await fn(), sent }
  }
  finally {
    globalThis.fetch = realFetch
  }
}

const rejection = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => ({ name: error.name, message: error.message }))
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }
const incorrectCall = { name: incorrect.name, message: `RespondToAuthChallenge: ${incorrect.message}` }

beforeAll(async () => {
  // Amplify says on every configure that the endpoint is a custom one.
  ConsoleLogger.LOG_LEVEL = 'ERROR'
  dir = mkdtempSync(join(tmpdir(), 'nuxt-amplify-ssr-srp-'))
  // Email usernames: the pool's username is a generated id, the user signs in with the email (an alias).
  cognito = await startCognito({ dir, poolName: 'srp' })
  await cognito.ensureUser(user.email, user.password, { name: 'Serena' })
  configure()
})

afterEach(async () => {
  configure()
  await signOut().catch(() => {})
  cognito.resetCounts()
})

afterAll(async () => {
  await cognito?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the SRP math', () => {
  it('pads as Amplify does (two\'s complement hex, a 00 byte before a high bit)', () => {
    expect(padHex(0x14n)).toBe('14')
    expect(padHex(0xECn)).toBe('00ec')
    expect(padHex(0x123n)).toBe('0123')
    expect(padHex(N).length).toBe(3072 / 4 + 2)
  })

  it('reads only the timestamp format Amplify sends', () => {
    expect(parseTimestamp('Wed Dec 2 03:45:44 UTC 2026')).toBe(Date.UTC(2026, 11, 2, 3, 45, 44))
    expect(parseTimestamp('Sun Feb 29 23:59:59 UTC 2032')).toBe(Date.UTC(2032, 1, 29, 23, 59, 59))
    for (const wrong of ['Wed Dec 02 03:45:44 UTC 2026', 'Thu Dec 2 03:45:44 UTC 2026', 'Wed Dec 2 3:45:44 UTC 2026',
      'Sat Feb 31 03:45:44 UTC 2026', 'Wed Dec 2 03:45:44 GMT 2026', '2026-12-02T03:45:44Z', '']) {
      expect(parseTimestamp(wrong), wrong).toBeNaN()
    }
  })
})

describe('Amplify\'s default sign-in against the emulator', () => {
  it('signs in with SRP and gets the emulator\'s own tokens, which the module\'s verifier accepts', async () => {
    const { result, sent } = await throughHook(() => signIn({ username: user.email, password: user.password }))
    expect(result).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } })
    expect(sent.map(({ target }) => target)).toEqual(['InitiateAuth', 'RespondToAuthChallenge'])
    expect(sent[0]!.input.AuthFlow).toBe('USER_SRP_AUTH')
    // The password itself never travels.
    expect(JSON.stringify(sent)).not.toContain(user.password)
    expect(cognito.counts).toMatchObject({ InitiateAuth: 1, RespondToAuthChallenge: 1 })

    const current = await getCurrentUser()
    expect(current.signInDetails).toEqual({ loginId: user.email, authFlowType: 'USER_SRP_AUTH' })
    const { tokens } = await fetchAuthSession()
    const verifier = createTokenVerifier({
      issuer: defaultIssuer(cognito.userPoolId, cognito.region, cognito.endpoint),
      jwksUri: cognito.jwksUri,
      clientId: cognito.userPoolClientId,
    })
    const pair = await verifyTokenPair(verifier, tokens!.accessToken.toString(), tokens!.idToken!.toString())
    expect(pair?.access).toMatchObject({ username: current.username, token_use: 'access', client_id: cognito.userPoolClientId })
    expect(pair?.id).toMatchObject({ 'email': user.email, 'cognito:username': current.username })
  })

  it('refuses a wrong password with Cognito\'s NotAuthorizedException, and an unknown user the same way', async () => {
    expect(await rejection(signIn({ username: user.email, password: 'Wrong-passw0rd!' }))).toEqual(incorrect)
    expect(await rejection(signIn({ username: 'nobody@example.com', password: user.password }))).toEqual(incorrect)
    // Both went as far as the proof: the first answer does not tell who has an account.
    expect(cognito.counts).toMatchObject({ InitiateAuth: 2, RespondToAuthChallenge: 2 })
    expect(await rejection(getCurrentUser())).toMatchObject({ name: 'UserUnAuthenticatedException' })
  })

  it('refuses a replayed proof: a secret block is used up by its first answer', async () => {
    const { sent } = await throughHook(() => signIn({ username: user.email, password: user.password }))
    const proof = sent.find(({ target }) => target === 'RespondToAuthChallenge')!.input
    await expect(cognitoCall(cognito.endpoint, 'RespondToAuthChallenge', proof)).rejects.toMatchObject(incorrectCall)

    // Used up by a wrong proof as well: the right one cannot follow it.
    await signOut()
    const { result } = await throughHook(() => rejection(signIn({ username: user.email, password: user.password })), async ({ target, input }) => {
      if (target !== 'RespondToAuthChallenge') return
      const wrong = { ...input, ChallengeResponses: { ...input.ChallengeResponses, PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32).toString('base64') } }
      await expect(cognitoCall(cognito.endpoint, 'RespondToAuthChallenge', wrong)).rejects.toMatchObject(incorrectCall)
    })
    expect(result).toEqual(incorrect)
  })

  const flipLastByte = (base64: string) => {
    const bytes = Buffer.from(base64, 'base64')
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1)
    return bytes.toString('base64')
  }
  // Amplify's own format ('ddd MMM D HH:mm:ss UTC YYYY'), so that only the signature can tell.
  const amplifyTimestamp = (time: number) => {
    const [day, date, month, year, clock] = new Date(time).toUTCString().replace(',', '').split(' ')
    return `${day} ${month} ${Number(date)} ${clock} UTC ${year}`
  }
  const tampered: Record<string, (responses: Record<string, string>) => Record<string, string>> = {
    'the secret block': r => ({ ...r, PASSWORD_CLAIM_SECRET_BLOCK: flipLastByte(r.PASSWORD_CLAIM_SECRET_BLOCK!) }),
    'the signature': r => ({ ...r, PASSWORD_CLAIM_SIGNATURE: flipLastByte(r.PASSWORD_CLAIM_SIGNATURE!) }),
    // The signature covers the timestamp.
    'the timestamp': r => ({ ...r, TIMESTAMP: amplifyTimestamp(parseTimestamp(r.TIMESTAMP!) + 1000) }),
    'the username': r => ({ ...r, USERNAME: user.email }),
  }
  for (const [what, change] of Object.entries(tampered)) {
    it(`refuses a proof whose ${what.replace('the ', '')} was changed`, async () => {
      const { result } = await throughHook(() => rejection(signIn({ username: user.email, password: user.password })), ({ target, input }) => {
        if (target === 'RespondToAuthChallenge') input.ChallengeResponses = change(input.ChallengeResponses!)
      })
      expect(result).toEqual(incorrect)
    })
  }

  it('asks for a new password after a good proof of a temporary one, as Cognito does, and signs in with it', async () => {
    const email = 'temporary@example.com'
    await cognito.admin('AdminCreateUser', { Username: email, TemporaryPassword: 'Temp-passw0rd!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }] })
    expect(await rejection(signIn({ username: email, password: 'Not-the-temp0!' }))).toEqual(incorrect)
    const first = await signIn({ username: email, password: 'Temp-passw0rd!' })
    expect(first.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED')
    expect(await confirmSignIn({ challengeResponse: 'Brand-new-passw0rd!' })).toMatchObject({ isSignedIn: true })
    await signOut()
    expect(await signIn({ username: email, password: 'Brand-new-passw0rd!' })).toMatchObject({ isSignedIn: true })
  })

  it('sends an unconfirmed user to the confirmation step after a good proof', async () => {
    await cognitoCall(cognito.endpoint, 'SignUp', {
      ClientId: cognito.userPoolClientId,
      Username: 'unconfirmed@example.com',
      Password: 'Unconf-passw0rd!',
      UserAttributes: [{ Name: 'email', Value: 'unconfirmed@example.com' }],
    })
    expect(await signIn({ username: 'unconfirmed@example.com', password: 'Unconf-passw0rd!' })).toMatchObject({
      isSignedIn: false,
      nextStep: { signInStep: 'CONFIRM_SIGN_UP' },
    })
  })
})

describe('what the SRP front refuses before any proof', () => {
  const initiate = (input: object) => cognitoCall(cognito.endpoint, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: cognito.userPoolClientId, ...input })

  it('an A that is 0 mod N', async () => {
    for (const SRP_A of [N.toString(16), (2n * N).toString(16), '0']) {
      await expect(initiate({ AuthParameters: { USERNAME: user.email, SRP_A } }), SRP_A.slice(0, 8)).rejects.toMatchObject({ name: 'InvalidParameterException' })
    }
    await expect(initiate({ AuthParameters: { USERNAME: user.email, SRP_A: 'not hex' } })).rejects.toMatchObject({ name: 'InvalidParameterException' })
    // A valid A gets the challenge Cognito sends.
    const { ChallengeName, ChallengeParameters } = await initiate({ AuthParameters: { USERNAME: user.email, SRP_A: '2' } })
    expect(ChallengeName).toBe('PASSWORD_VERIFIER')
    expect(Object.keys(ChallengeParameters).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP'])
    expect(ChallengeParameters.USER_ID_FOR_SRP).not.toBe(user.email)
  })

  it('a client that does not allow USER_SRP_AUTH', async () => {
    const { UserPoolClient } = await cognito.admin('CreateUserPoolClient', { ClientName: 'password-only', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })
    await expect(initiate({ ClientId: UserPoolClient.ClientId, AuthParameters: { USERNAME: user.email, SRP_A: '2' } }))
      .rejects.toMatchObject({ name: 'InvalidParameterException' })
  })
})

describe('a challenge\'s lifetime', () => {
  it('accepts a proof within it and refuses one after it, or one whose timestamp is too far from the clock', async () => {
    let clock = Date.now()
    const front = createSrpFront({ dir, emulatorUrl: cognito.emulatorUrl, ttlMs: 60_000, skewMs: 5 * 60_000, now: () => clock })
    // Amplify talks to this front, in process; every other call goes on to the emulator.
    configure('http://srp-front.test')
    const viaFront = (before: () => void) => async ({ target, input }: Exchange) => {
      if (target === 'RespondToAuthChallenge') before()
      const answer = await front.answer(`AWSCognitoIdentityProviderService.${target}`, JSON.stringify(input))
      if (answer) return new Response(answer.body, { status: answer.status, headers: answer.headers })
      return realFetch(cognito.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` }, body: JSON.stringify(input) })
    }
    const attempt = (before: () => void) => throughHook(() => rejection(signIn({ username: user.email, password: user.password })), viaFront(before))

    expect((await attempt(() => clock += 59_000)).result).toBeUndefined()
    await signOut()
    expect((await attempt(() => clock += 61_000)).result).toEqual(incorrect)
    // Amplify stamps the proof with the real time; a server clock 6 minutes ahead finds it stale.
    clock = Date.now() + 6 * 60_000
    expect((await attempt(() => {})).result).toEqual(incorrect)
  })
})
