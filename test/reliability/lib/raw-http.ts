// Requests written byte for byte on a socket: Node's fetch and http client refuse many header values
// (control characters, non-Latin-1 text, bad names) that a hostile client can still send.
import { connect } from 'node:net'

export interface RawResponse {
  status: number
  /** Lower-case names; every value of repeated headers (Set-Cookie). */
  headers: Record<string, string[]>
  body: string
}

export interface RawRequest {
  method?: string
  /** The request target as sent, bytes included (UTF-8 for strings). */
  path: string | Buffer
  headers?: [name: string, value: string | Buffer][]
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at)
    if (lineEnd < 0) break
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16)
    if (!size) break
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}

function parse(raw: Buffer): RawResponse {
  const headEnd = raw.indexOf('\r\n\r\n')
  if (headEnd < 0) throw new Error(`Incomplete HTTP response: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`)
  const [statusLine, ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n')
  const status = Number(statusLine!.split(' ')[1])
  const headers: Record<string, string[]> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    ;(headers[name] ??= []).push(line.slice(colon + 1).trim())
  }
  let body = raw.subarray(headEnd + 4)
  if (headers['transfer-encoding']?.[0]?.includes('chunked')) body = dechunk(body)
  return { status, headers, body: body.toString('utf8') }
}

/** One request on a fresh connection (`Connection: close`), read to the end; rejects after `timeoutMs`. */
export function rawRequest(port: number, { method = 'GET', path, headers = [] }: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const head: Buffer[] = [Buffer.from(`${method} `), Buffer.from(path), Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`)]
  for (const [name, value] of headers) head.push(Buffer.from(`${name}: `), Buffer.from(value), Buffer.from('\r\n'))
  head.push(Buffer.from('\r\n'))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect({ host: '127.0.0.1', port })
    const timer = setTimeout(() => socket.destroy(new Error(`No complete response within ${timeoutMs} ms`)), timeoutMs)
    socket.on('data', chunk => chunks.push(chunk))
    // The server may answer (431, 400) and close before it has read all we wrote: keep what arrived.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return
      clearTimeout(timer)
      reject(error)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      try {
        resolve(parse(Buffer.concat(chunks)))
      }
      catch (error) {
        reject(error)
      }
    })
    // No half-close: Node's server aborts a request whose client ended its side (httpAllowHalfOpen is off).
    // `Connection: close` makes the server close once it has answered.
    socket.write(Buffer.concat(head))
  })
}
