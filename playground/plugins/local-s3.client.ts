// Offline development only: Amplify Storage sends the browser's S3 requests to
// `https://<bucket>.s3.<region>.amazonaws.com`, with no working setting for a local HTTP endpoint. When
// `npm run dev` sets NUXT_PUBLIC_LOCAL_S3_ENDPOINT, this sends them to the local bucket instead, with the original
// host in `x-amz-original-host` (a browser cannot set Host), so the signature Amplify made still checks out.
// The server process is routed the same way by test/support/s3-route.mjs.
const S3_HOST = /^(?:[a-z0-9][a-z0-9.-]*\.)?s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/

export default defineNuxtPlugin(() => {
  const endpoint = useRuntimeConfig().public.localS3Endpoint
  if (!endpoint) return
  const local = (url: URL) => new URL(url.pathname + url.search, endpoint).href

  const fetch = window.fetch.bind(window)
  window.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href)
    if (!S3_HOST.test(url.hostname)) return fetch(input, init)
    const request = new Request(input, init)
    const headers = new Headers(request.headers)
    headers.set('x-amz-original-host', url.host)
    const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await request.arrayBuffer()
    return fetch(local(url), { method: request.method, headers, body, signal: request.signal })
  }

  // Uploads and downloads go through XMLHttpRequest (for progress events).
  const originalHost = new WeakMap<XMLHttpRequest, string>()
  const { open, send } = XMLHttpRequest.prototype
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    const target = new URL(String(url), location.href)
    if (S3_HOST.test(target.hostname)) originalHost.set(this, target.host)
    const routed = S3_HOST.test(target.hostname) ? local(target) : url
    return (open as (...args: unknown[]) => void).call(this, method, routed, ...(rest.length ? rest : [true]))
  } as typeof open
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const host = originalHost.get(this)
    if (host) this.setRequestHeader('x-amz-original-host', host)
    return send.call(this, body as XMLHttpRequestBodyInit | null | undefined)
  }
})
