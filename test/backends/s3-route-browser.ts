// The browser half of s3-route.mjs, for offline development and browser tests: Amplify Storage sends the page's S3
// requests to `https://<bucket>.s3.<region>.amazonaws.com` and has no working setting for a local HTTP endpoint.
// This sends them to the local bucket instead, with the original host in `x-amz-original-host` (a page cannot set
// Host), so the signature Amplify made still checks out. Amplify itself still builds and signs every request.
const S3_HOST = /^(?:[a-z0-9][a-z0-9.-]*\.)?s3[.-](?:[a-z0-9-]+\.)?amazonaws\.com$/

export function routeS3InBrowser(endpoint: string) {
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
    const s3 = S3_HOST.test(target.hostname)
    if (s3) originalHost.set(this, target.host)
    return (open as (...args: unknown[]) => void).call(this, method, s3 ? local(target) : url, ...(rest.length ? rest : [true]))
  } as typeof open
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const host = originalHost.get(this)
    if (host) this.setRequestHeader('x-amz-original-host', host)
    return send.call(this, body as XMLHttpRequestBodyInit | null | undefined)
  }
}
