// Routes Amazon S3 traffic of one Node process to the local S3 (`s3.mjs`), for tests and `npm run dev`.
//
// Amplify Storage offers no working way to reach a plain-HTTP S3 (aws-amplify 6.22: the config flag
// `dangerouslyConnectToHttpEndpointForTesting` maps to a URL that its own check then rejects, and the
// per-call `customEndpoint` option forces HTTPS). So the app keeps its real configuration and Amplify builds and
// signs its requests for `https://<bucket>.s3.<region>.amazonaws.com` as it would in production; only where the
// bytes go changes: to the local endpoint over HTTP, with the original Host header, so the signature stays valid.
//
// Preload it into the process that runs Amplify (the Nuxt server):
//   NODE_OPTIONS="--import=<abs path>/s3-route.mjs" AMPLIFY_LOCAL_S3_ENDPOINT=http://127.0.0.1:<port>
import { request as httpRequest } from 'node:http'

export const S3_HOST = /^([a-z0-9][a-z0-9.-]*\.)?s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/

function urlOf(input) {
  if (typeof input === 'string') return new URL(input)
  if (input instanceof URL) return input
  return new URL(input.url)
}

/**
 * A `fetch` that sends requests for S3 hosts to `endpoint` (keeping the Host header) and the rest to `fallback`.
 * Node's fetch ignores a caller-set Host header, hence `node:http`.
 */
export function createS3Fetch(endpoint, fallback = globalThis.fetch) {
  const target = new URL(endpoint)
  return async function s3Fetch(input, init = {}) {
    const url = urlOf(input)
    if (!S3_HOST.test(url.hostname)) return fallback(input, init)
    const request = new Request(input, init)
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    const headers = Object.fromEntries(request.headers)
    headers.host = url.host
    if (body) headers['content-length'] = String(body.length)
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: url.pathname + url.search, headers, signal: init.signal ?? undefined }, (res) => {
        const chunks = []
        res.on('data', c => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => {
          const responseHeaders = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of [].concat(value ?? [])) responseHeaders.append(name, v)
          }
          const nullBody = request.method === 'HEAD' || [204, 304].includes(res.statusCode)
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status: res.statusCode, statusText: res.statusMessage, headers: responseHeaders }))
        })
      })
      req.on('error', reject)
      req.end(body)
    })
  }
}

if (process.env.AMPLIFY_LOCAL_S3_ENDPOINT) {
  globalThis.fetch = createS3Fetch(process.env.AMPLIFY_LOCAL_S3_ENDPOINT, globalThis.fetch)
}
