// Amplify's default sign-in (SRP: `InitiateAuth` with `USER_SRP_AUTH`, then `RespondToAuthChallenge` with
// `PASSWORD_VERIFIER`) for cognito-local, which has no SRP. The proof is checked for real (SRP-6a, Cognito's 3072-bit
// group and key derivation, byte for byte as @aws-amplify/auth's client computes it); once it verifies, the tokens are
// the emulator's own, from a USER_PASSWORD_AUTH sign-in made here with the password the emulator keeps in its files.
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

// RFC 5054's 3072-bit group, as in Amplify (srp/constants) and Cognito.
export const N = BigInt('0x'
  + 'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD'
  + 'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED'
  + 'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F'
  + '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B'
  + 'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510'
  + '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7'
  + 'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C'
  + 'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF')
export const g = 2n

/**
 * The hex Amplify hashes for a (non-negative) integer: even length, with a `00` byte in front when the high bit is
 * set (Java's `BigInteger.toByteArray()`). Cognito's "PAD" is this, not a pad to the length of N.
 */
export function padHex(n) {
  let hex = n.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex
}

const sha256 = data => createHash('sha256').update(data).digest()
const hashHex = hex => sha256(Buffer.from(hex, 'hex')).toString('hex')
const toBigInt = hex => BigInt(`0x${hex}`)

export const k = toBigInt(hashHex(padHex(N) + padHex(g)))

export function modPow(base, exponent, modulus) {
  let result = 1n
  base %= modulus
  if (base < 0n) base += modulus
  while (exponent > 0n) {
    if (exponent & 1n) result = result * base % modulus
    base = base * base % modulus
    exponent >>= 1n
  }
  return result
}

/** x = H(salt | H(poolName | userId | ':' | password)), as hex concatenations hashed as bytes. */
function privateKey({ poolName, userId, password, salt }) {
  const inner = sha256(`${poolName}${userId}:${password}`).toString('hex')
  return toBigInt(hashHex(padHex(salt) + inner))
}

/** The server's half of SRP-6a for one attempt: a fresh salt and verifier (we know the password), and B. */
export function serverChallenge({ poolName, userId, password }) {
  const salt = toBigInt(randomBytes(16).toString('hex'))
  const v = modPow(g, privateKey({ poolName, userId, password, salt }), N)
  for (;;) {
    // 256 bits, RFC 5054's minimum for the private value: a quarter of the time of Amplify's 1024.
    const b = toBigInt(randomBytes(32).toString('hex'))
    const B = (k * v + modPow(g, b, N)) % N
    if (B !== 0n) return { salt, v, b, B }
  }
}

/** The 16-byte key both sides derive: S = (A·v^u)^b mod N, then HKDF(S, salt = u, info 'Caldera Derived Key'). */
export function passwordClaimKey({ A, B, b, v }) {
  const u = toBigInt(hashHex(padHex(A) + padHex(B)))
  if (u === 0n) return undefined
  const S = modPow(A * modPow(v, u, N), b, N)
  return Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16))
}

/** PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA256(key, poolName | userId | secret block bytes | timestamp). */
export function passwordClaimSignature({ key, poolName, userId, secretBlock, timestamp }) {
  return createHmac('sha256', key)
    .update(poolName).update(userId).update(Buffer.from(secretBlock, 'base64')).update(timestamp)
    .digest('base64')
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const TIMESTAMP = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) ([1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):([0-5]\d):([0-5]\d) UTC (\d{4})$/

/** The instant of a TIMESTAMP in Amplify's 'ddd MMM D HH:mm:ss UTC YYYY' format (day not zero-padded), or NaN. */
export function parseTimestamp(text) {
  const match = TIMESTAMP.exec(String(text))
  if (!match) return Number.NaN
  const [, day, month, date, hours, minutes, seconds, year] = match
  const time = Date.UTC(Number(year), MONTHS.indexOf(month), Number(date), Number(hours), Number(minutes), Number(seconds))
  const parsed = new Date(time)
  // Rejects an unknown month, a 31st that rolled over, and a weekday that does not match the date.
  return MONTHS.indexOf(month) === parsed.getUTCMonth() && Number(date) === parsed.getUTCDate() && DAYS[parsed.getUTCDay()] === day
    ? time
    : Number.NaN
}

const cognitoError = (type, message, status = 400) => ({ status, body: { __type: type, message } })
const notAuthorized = () => cognitoError('NotAuthorizedException', 'Incorrect username or password.')

async function readJson(file) {
  // cognito-local rewrites its files in place; a read that races a write sees a cut file.
  for (let attempt = 0; ; attempt++) {
    try {
      return JSON.parse(await readFile(file, 'utf8'))
    }
    catch (error) {
      if (attempt >= 4 || error.code === 'ENOENT') throw error
      await new Promise(resolve => setTimeout(resolve, 20))
    }
  }
}

async function emulatorCall(url, operation, input) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(input),
  })
  return { status: res.status, body: await res.json() }
}

/**
 * The SRP front of the emulator's proxy. `answer(target, input)` answers the two SRP calls (else `undefined`: the
 * proxy forwards as usual). An attempt's state (b, v, the user) stays here, under the random SECRET_BLOCK the client
 * echoes: it cannot be forged, lives `ttlMs` (Cognito's sign-in session is a few minutes) and is used up by the
 * first proof, good or bad.
 * @param {{ dir: string, emulatorUrl: string, ttlMs?: number, skewMs?: number, now?: () => number }} options
 *   `dir` is the one cognito-local runs in (its data is in `<dir>/.cognito/db`).
 */
export function createSrpFront({ dir, emulatorUrl, ttlMs = 3 * 60_000, skewMs = 5 * 60_000, now = Date.now }) {
  const db = join(dir, '.cognito', 'db')
  const attempts = new Map()
  const forget = () => {
    for (const [id, attempt] of attempts) if (attempt.expires <= now()) attempts.delete(id)
  }

  async function initiate(input) {
    const client = (await readJson(join(db, 'clients.json'))).Clients?.[input.ClientId]
    if (!client) return cognitoError('ResourceNotFoundException', `User pool client ${input.ClientId} does not exist.`)
    const flows = client.ExplicitAuthFlows ?? []
    if (flows.length && !flows.includes('ALLOW_USER_SRP_AUTH') && !flows.includes('USER_SRP_AUTH')) {
      return cognitoError('InvalidParameterException', 'USER_SRP_AUTH is not enabled for the client.')
    }
    const { USERNAME: username, SRP_A: srpA } = input.AuthParameters ?? {}
    if (!username || !srpA) return cognitoError('InvalidParameterException', 'Missing required parameter USERNAME or SRP_A')
    if (!/^[0-9a-f]{1,1536}$/i.test(srpA) || toBigInt(srpA) % N === 0n) {
      return cognitoError('InvalidParameterException', 'SRP_A is not a valid value.')
    }
    const poolId = client.UserPoolId
    const poolName = poolId.split('_')[1] ?? ''
    // The emulator resolves the name it is given (a username, a sub or an email alias) to the username it keeps.
    const found = await emulatorCall(emulatorUrl, 'AdminGetUser', { UserPoolId: poolId, Username: username })
    const userId = found.status === 200 ? found.body.Username : undefined
    if (found.status !== 200 && found.body.__type !== 'UserNotFoundException') return found
    const password = userId && (await readJson(join(db, `${poolId}.json`))).Users?.[userId]?.Password
    // An unknown user gets a challenge like any other and fails at the proof, as Cognito does when it prevents
    // user-existence errors: the answer does not tell who has an account.
    const challenge = serverChallenge({ poolName, userId: userId ?? username, password: password ?? randomBytes(32).toString('hex') })
    const secretBlock = randomBytes(64).toString('base64')
    forget()
    attempts.set(secretBlock, {
      ...challenge,
      A: toBigInt(srpA),
      clientId: input.ClientId,
      poolName,
      userId: userId ?? username,
      password: userId ? password : undefined,
      expires: now() + ttlMs,
    })
    return {
      status: 200,
      body: {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: padHex(challenge.salt),
          SECRET_BLOCK: secretBlock,
          SRP_B: challenge.B.toString(16),
          USERNAME: userId ?? username,
          USER_ID_FOR_SRP: userId ?? username,
        },
      },
    }
  }

  async function verify(input) {
    const { USERNAME: username, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature }
      = input.ChallengeResponses ?? {}
    forget()
    const attempt = attempts.get(secretBlock)
    if (!attempt) return notAuthorized()
    attempts.delete(secretBlock)
    const time = parseTimestamp(timestamp)
    if (attempt.clientId !== input.ClientId || attempt.userId !== username || !attempt.password) return notAuthorized()
    if (Number.isNaN(time) || Math.abs(time - now()) > skewMs) return notAuthorized()
    const key = passwordClaimKey(attempt)
    if (!key || typeof signature !== 'string') return notAuthorized()
    const expected = Buffer.from(passwordClaimSignature({ key, poolName: attempt.poolName, userId: attempt.userId, secretBlock, timestamp }), 'base64')
    const given = Buffer.from(signature, 'base64')
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return notAuthorized()
    // Proven: the emulator signs the user in with the password the proof was made from, and applies its own rules
    // (unconfirmed user, new password required, MFA) on the way.
    const answer = await emulatorCall(emulatorUrl, 'InitiateAuth', {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: input.ClientId,
      AuthParameters: { USERNAME: attempt.userId, PASSWORD: attempt.password },
    })
    // The password changed since the challenge.
    if (answer.body.__type === 'InvalidPasswordException') return notAuthorized()
    return answer
  }

  const handlers = new Map([
    ['AWSCognitoIdentityProviderService.InitiateAuth', async input => input.AuthFlow === 'USER_SRP_AUTH' && initiate(input)],
    ['AWSCognitoIdentityProviderService.RespondToAuthChallenge', async input => input.ChallengeName === 'PASSWORD_VERIFIER' && verify(input)],
  ])
  return {
    /**
     * The HTTP answer (`{ status, headers, body }`) to a `USER_SRP_AUTH` or `PASSWORD_VERIFIER` call, given its
     * `X-Amz-Target` and raw body; `undefined` for any other call.
     */
    async answer(target, rawBody) {
      const handler = handlers.get(String(target))
      if (!handler) return undefined
      let input
      try {
        input = JSON.parse(String(rawBody) || '{}')
      }
      catch {
        return undefined
      }
      if (!input || typeof input !== 'object') return undefined
      // A broken emulator is a server error, as Cognito's own would be, not a request left hanging.
      const answer = await handler(input).catch(error => cognitoError('InternalErrorException', String(error?.message ?? error), 500))
      if (!answer) return undefined
      const type = answer.body.__type
      return {
        status: answer.status,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          // Browsers call the proxy directly, as they would Cognito.
          'access-control-allow-origin': '*',
          ...(type && { 'x-amzn-errortype': type }),
        },
        body: JSON.stringify(answer.body),
      }
    },
  }
}
