// A small local S3 (in memory) for the operations Amplify Storage uses: ListObjectsV2, GetObject, HeadObject,
// PutObject, CopyObject, DeleteObject. Every request must carry a valid SigV4 signature (headers or presigned
// query) made with credentials from the local identity pool, and is then checked against the access rules of
// Amplify Gen2's default storage paths, as the identity pool's IAM roles would:
//   public/*                   guests and users read; users write and delete
//   protected/{identityId}/*   users read; the owner writes and deletes
//   private/{identityId}/*     the owner only
// Amplify sends requests to `https://<bucket>.s3.<region>.amazonaws.com`: see `s3-route.mjs` for how they get here.
import { createHash } from 'node:crypto'
import { listen } from './http-server.mjs'
import { verifySigV4 } from './sigv4.mjs'

const xmlEscape = value => String(value).replace(/[<>&'"]/g, c => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '\'': '&apos;', '"': '&quot;' })[c])
const urlEncode = value => encodeURIComponent(value).replace(/%2F/g, '/')
const tag = (name, value) => value === undefined || value === '' ? '' : `<${name}>${xmlEscape(value)}</${name}>`

function sendXml(res, status, xml, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/xml', ...headers })
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`)
}

function sendError(res, status, code, message, resource = '') {
  sendXml(res, status, `<Error>${tag('Code', code)}${tag('Message', message)}${tag('Resource', resource)}${tag('RequestId', 'LOCAL')}</Error>`, { 'x-amz-request-id': 'LOCAL' })
}

/** May `caller` do `action` ('read' | 'write') on `key`? The rules of Amplify Gen2's default storage paths. */
export function allowed(caller, action, key) {
  const [area, owner] = key.split('/')
  if (area === 'public') return action === 'read' || caller.authenticated
  if (!caller.authenticated) return false
  if (area === 'protected') return action === 'read' || owner === caller.identityId
  if (area === 'private') return owner === caller.identityId
  return false
}

/** `<bucket>.s3.<region>.amazonaws.com/<key>` (virtual-hosted) or `<host>/<bucket>/<key>` (path-style). */
function locate(host, pathname) {
  const virtual = /^([a-z0-9][a-z0-9.-]*)\.s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com(?::\d+)?$/.exec(host)
  const path = decodeURIComponent(pathname)
  if (virtual) return { bucket: virtual[1], key: path.slice(1) }
  const [, bucket = '', ...rest] = path.split('/')
  return { bucket, key: rest.join('/') }
}

/**
 * @param {{ identityPool: { lookup: (accessKeyId: string) => any }, buckets?: string[] }} options
 */
export async function startS3({ identityPool, buckets = ['nuxt-amplify-local'] }) {
  /** bucket -> key -> { body, contentType, etag, lastModified, metadata } */
  const store = new Map(buckets.map(name => [name, new Map()]))
  /** @type {Record<string, number>} */
  const counts = {}

  function list(res, bucket, objects, query) {
    const prefix = query.get('prefix') ?? ''
    const delimiter = query.get('delimiter') ?? ''
    const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000), 1000)
    const after = query.get('continuation-token') ? Buffer.from(query.get('continuation-token'), 'base64url').toString() : (query.get('start-after') ?? '')
    const keys = [...objects.keys()].filter(k => k.startsWith(prefix) && k > after).sort()
    const contents = []
    const prefixes = new Set()
    let last
    for (const key of keys) {
      if (contents.length + prefixes.size >= maxKeys) break
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1
      if (cut >= 0) prefixes.add(key.slice(0, cut + delimiter.length))
      else contents.push(key)
      last = key
    }
    const truncated = last !== undefined && keys.at(-1) !== last
    const encode = query.get('encoding-type') === 'url' ? urlEncode : v => v
    sendXml(res, 200, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${tag('Name', bucket)}${tag('Prefix', encode(prefix))}`
    + `${tag('Delimiter', delimiter && encode(delimiter))}${tag('MaxKeys', maxKeys)}${tag('EncodingType', query.get('encoding-type') ?? '')}`
    + `<KeyCount>${contents.length + prefixes.size}</KeyCount><IsTruncated>${truncated}</IsTruncated>`
    + `${truncated ? tag('NextContinuationToken', Buffer.from(last).toString('base64url')) : ''}`
    + contents.map((key) => {
      const o = objects.get(key)
      return `<Contents>${tag('Key', encode(key))}${tag('LastModified', o.lastModified.toISOString())}${tag('ETag', o.etag)}${tag('Size', o.body.length)}<StorageClass>STANDARD</StorageClass></Contents>`
    }).join('')
    + [...prefixes].map(p => `<CommonPrefixes>${tag('Prefix', encode(p))}</CommonPrefixes>`).join('')
    + '</ListBucketResult>')
  }

  function objectHeaders(o) {
    return {
      'content-type': o.contentType,
      'content-length': String(o.body.length),
      'etag': o.etag,
      'last-modified': o.lastModified.toUTCString(),
      ...Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    }
  }

  function put(objects, key, body, headers) {
    const metadata = Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k.slice(11), v]))
    const o = { body, contentType: headers['content-type'] ?? 'binary/octet-stream', etag: `"${createHash('md5').update(body).digest('hex')}"`, lastModified: new Date(), metadata }
    objects.set(key, o)
    return o
  }

  const server = await listen(async (req, res, body) => {
    const url = new URL(req.url, 'http://local')
    // A browser page cannot set Host: the dev router sends the original host in this header instead.
    const host = String(req.headers['x-amz-original-host'] ?? req.headers.host)
    const { bucket, key } = locate(host, url.pathname)
    const objects = store.get(bucket)
    const operation = `${req.method} ${key ? 'object' : 'bucket'}${req.headers['x-amz-copy-source'] ? ' copy' : ''}`
    counts[operation] = (counts[operation] ?? 0) + 1
    if (req.headers['x-amz-original-host']) counts.fromBrowser = (counts.fromBrowser ?? 0) + 1

    const verdict = await verifySigV4({ method: req.method, url: req.url, headers: req.headers, body, host }, { service: 's3', lookup: identityPool.lookup })
    if (!verdict.ok) {
      if (verdict.reason === 'missing') return sendError(res, 403, 'AccessDenied', 'Access Denied (anonymous request)', url.pathname)
      if (verdict.reason.startsWith('unknown access key')) return sendError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.')
      return sendError(res, 403, 'SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided (${verdict.reason}).`)
    }
    const caller = identityPool.lookup(verdict.accessKeyId)
    if (!objects) return sendError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', bucket)
    const sha = req.headers['x-amz-content-sha256']
    if (sha && sha !== 'UNSIGNED-PAYLOAD' && !String(sha).startsWith('STREAMING-') && sha !== createHash('sha256').update(body).digest('hex')) {
      return sendError(res, 400, 'XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.')
    }
    const denied = () => sendError(res, 403, 'AccessDenied', 'Access Denied', `/${bucket}/${key}`)

    if (!key) {
      if (req.method !== 'GET' || url.searchParams.get('list-type') !== '2') return sendError(res, 501, 'NotImplemented', `${req.method} on a bucket is not implemented here`)
      if (!allowed(caller, 'read', url.searchParams.get('prefix') ?? '')) return denied()
      return list(res, bucket, objects, url.searchParams)
    }
    if (url.searchParams.has('uploads') || url.searchParams.has('uploadId')) {
      return sendError(res, 501, 'NotImplemented', 'Multipart uploads are not implemented here (uploads up to 5 MB use PutObject)')
    }
    switch (req.method) {
      case 'GET':
      case 'HEAD': {
        if (!allowed(caller, 'read', key)) return denied()
        const o = objects.get(key)
        if (!o) {
          if (req.method === 'HEAD') {
            res.writeHead(404)
            return res.end()
          }
          return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', key)
        }
        res.writeHead(200, objectHeaders(o))
        return res.end(req.method === 'GET' ? o.body : undefined)
      }
      case 'PUT': {
        if (!allowed(caller, 'write', key)) return denied()
        const source = req.headers['x-amz-copy-source']
        if (!source) {
          const o = put(objects, key, body, req.headers)
          res.writeHead(200, { etag: o.etag })
          return res.end()
        }
        const from = locate('', `/${String(source).replace(/^\//, '')}`)
        const original = store.get(from.bucket)?.get(from.key)
        if (!allowed(caller, 'read', from.key)) return denied()
        if (!original) return sendError(res, 404, 'NoSuchKey', 'The specified key does not exist.', from.key)
        const copyHeaders = req.headers['x-amz-metadata-directive'] === 'REPLACE' ? req.headers : { 'content-type': original.contentType, ...Object.fromEntries(Object.entries(original.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])) }
        const o = put(objects, key, original.body, copyHeaders)
        return sendXml(res, 200, `<CopyObjectResult>${tag('LastModified', o.lastModified.toISOString())}${tag('ETag', o.etag)}</CopyObjectResult>`)
      }
      case 'DELETE': {
        if (!allowed(caller, 'write', key)) return denied()
        objects.delete(key)
        res.writeHead(204)
        return res.end()
      }
      default:
        return sendError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.')
    }
  })

  return {
    /** Where the routers send S3 traffic (plain HTTP on loopback). */
    endpoint: server.url,
    buckets,
    /** Requests by operation (`GET bucket`, `PUT object`, `PUT object copy`…), and `fromBrowser` (routed pages). */
    counts,
    /** Puts an object directly (test seeding), bypassing signatures and rules. */
    seed(bucket, key, body, contentType = 'text/plain') {
      return put(store.get(bucket), key, Buffer.from(body), { 'content-type': contentType })
    },
    /** The stored object, or undefined. */
    object: (bucket, key) => store.get(bucket)?.get(key),
    stop: server.stop,
  }
}
