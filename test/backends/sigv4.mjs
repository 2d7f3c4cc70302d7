// Verifies AWS Signature Version 4 on requests that reach the local test services, by re-computing the
// signature with the AWS SDK's own signer (`@smithy/signature-v4`) from the secret the fake identity pool handed out.
// Header-signed requests (`Authorization: AWS4-HMAC-SHA256 …`) and presigned URLs (`X-Amz-Signature=…`) both work.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'

/** The hash constructor the signer wants, on node:crypto. */
class Sha256 {
  constructor(secret) {
    this.hash = secret ? createHmac('sha256', secret) : createHash('sha256')
  }

  update(data) {
    this.hash.update(typeof data === 'string' ? Buffer.from(data) : data)
  }

  digest() {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/
const CLOCK_SKEW_MS = 15 * 60_000

/** `20250102T030405Z` -> Date */
function parseAmzDate(value) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '')
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined
}

function same(a, b) {
  const [x, y] = [Buffer.from(a), Buffer.from(b)]
  return x.length === y.length && timingSafeEqual(x, y)
}

function queryObject(searchParams, skip = () => false) {
  const query = {}
  for (const [key, value] of searchParams) {
    if (skip(key)) continue
    query[key] = key in query ? [].concat(query[key], value) : value
  }
  return query
}

/**
 * Whether `request` carries a valid SigV4 signature for `service`, made with credentials that `lookup` knows.
 * @param {{ method: string, url: string, headers: Record<string, string | string[] | undefined>, body?: Buffer, host?: string }} request
 *   `url` is the path and query as received; `host` overrides the Host header (a request that was routed elsewhere).
 * @param {{ service: string, lookup: (accessKeyId: string) => ({ accessKeyId: string, secretAccessKey: string, sessionToken?: string } | undefined), now?: Date }} options
 * @returns {Promise<{ ok: true, accessKeyId: string, region: string } | { ok: false, reason: string }>} the verdict
 */
export async function verifySigV4(request, { service, lookup, now = new Date() }) {
  const url = new URL(request.url, 'http://placeholder')
  const host = request.host ?? request.headers.host
  const header = request.headers.authorization
  const presigned = url.searchParams.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256'
  if (!presigned && !header?.startsWith('AWS4-HMAC-SHA256')) return { ok: false, reason: 'missing' }

  let accessKeyId, region, signedService, signedHeaders, signature, date, expiresIn
  if (presigned) {
    const scope = (url.searchParams.get('X-Amz-Credential') ?? '').split('/');
    [accessKeyId, , region, signedService] = scope
    signedHeaders = url.searchParams.get('X-Amz-SignedHeaders') ?? ''
    signature = url.searchParams.get('X-Amz-Signature') ?? ''
    date = parseAmzDate(url.searchParams.get('X-Amz-Date'))
    expiresIn = Number(url.searchParams.get('X-Amz-Expires') ?? 900)
  }
  else {
    const m = AUTHORIZATION.exec(String(header))
    if (!m) return { ok: false, reason: 'malformed Authorization header' }
    ;[, accessKeyId, region, signedService, signedHeaders, signature] = m
    date = parseAmzDate(String(request.headers['x-amz-date'] ?? ''))
  }
  if (signedService !== service) return { ok: false, reason: `signed for service ${signedService}, expected ${service}` }
  if (!date) return { ok: false, reason: 'missing or malformed X-Amz-Date' }
  if (presigned ? now.getTime() > date.getTime() + expiresIn * 1000 : Math.abs(now.getTime() - date.getTime()) > CLOCK_SKEW_MS) {
    return { ok: false, reason: presigned ? 'presigned URL expired' : 'request time too skewed' }
  }
  // The signer takes a sent payload hash as given: check it against the body, as AWS does.
  const payloadHash = request.headers['x-amz-content-sha256']
  if (payloadHash && payloadHash !== 'UNSIGNED-PAYLOAD' && !String(payloadHash).startsWith('STREAMING-')
    && payloadHash !== createHash('sha256').update(request.body ?? Buffer.alloc(0)).digest('hex')) {
    return { ok: false, reason: 'payload hash mismatch' }
  }
  const credentials = lookup(accessKeyId)
  if (!credentials) return { ok: false, reason: `unknown access key ${accessKeyId}` }

  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256, uriEscapePath: service !== 's3', applyChecksum: false })
  const names = signedHeaders.split(';')
  const headers = {}
  for (const name of names) {
    const value = name === 'host' ? host : request.headers[name]
    if (value === undefined) return { ok: false, reason: `signed header ${name} missing` }
    headers[name] = Array.isArray(value) ? value.join(',') : String(value)
  }
  const toSign = {
    method: request.method,
    protocol: 'https:',
    hostname: String(host).split(':')[0],
    path: url.pathname,
    headers,
    body: request.body?.length ? request.body : undefined,
  }

  let expected
  if (presigned) {
    const signed = await signer.presign(
      { ...toSign, query: queryObject(url.searchParams, key => /^X-Amz-(?:Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/.test(key)), headers: { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { signingDate: date, expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']), unhoistableHeaders: new Set(['x-amz-content-sha256']) },
    )
    expected = signed.query['X-Amz-Signature']
  }
  else {
    // The signer adds these itself from the date and the credentials.
    delete headers['x-amz-date']
    delete headers['x-amz-security-token']
    const signed = await signer.sign({ ...toSign, query: queryObject(url.searchParams) }, { signingDate: date })
    expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization)?.[1]
  }
  if (!expected || !same(expected, signature)) return { ok: false, reason: 'signature mismatch' }
  return { ok: true, accessKeyId, region }
}
