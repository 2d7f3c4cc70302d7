// Dev only: the page shown in the Nuxt DevTools "Amplify" tab (an iframe on the app's origin, so the request
// carries the app's cookies). It renders `devtools.json` with textContent only: claims come from cookies.
import { defineEventHandler, setResponseHeader } from 'h3'
import { noStore } from '../server/lib/http/no-store'

const page = /* html */ `<!doctype html>
<html><head><meta charset="utf-8"><title>Amplify session</title>
<style>
  :root { color-scheme: light dark; font: 13px/1.5 ui-sans-serif, system-ui, sans-serif; }
  body { margin: 0; padding: 12px 16px; }
  h2 { font-size: 13px; margin: 18px 0 6px; opacity: .7; text-transform: uppercase; letter-spacing: .05em; }
  table { border-collapse: collapse; width: 100%; }
  td, th { text-align: left; padding: 3px 8px 3px 0; vertical-align: top; border-bottom: 1px solid #8883; }
  pre { margin: 0; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
  .bad { color: #e5484d; } .ok { color: #30a46c; } .warn { color: #f76b15; }
  button { font: inherit; cursor: pointer; }
</style></head>
<body>
<button id="reload">Reload</button> <span id="user"></span>
<h2>Tokens</h2><table id="tokens"></table>
<h2>Cookies (limit 4096 bytes each)</h2><table id="cookies"></table>
<h2>Configuration</h2><pre id="config"></pre>
<script>
const $ = id => document.getElementById(id)
const cell = (row, text, cls) => { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; return td }
let report, offset = 0
function countdown(expiresAt) {
  if (!expiresAt) return ''
  const left = expiresAt - (Math.floor(Date.now() / 1000) - offset)
  const abs = Math.abs(left), h = Math.floor(abs / 3600), m = Math.floor(abs / 60) % 60
  const text = (h ? h + 'h ' : '') + m + 'm ' + (abs % 60) + 's'
  return left > 0 ? 'expires in ' + text : 'expired ' + text + ' ago'
}
function render() {
  if (report.error) { $('user').textContent = 'Error: ' + report.error; $('user').className = 'bad'; return }
  const user = report.user
  $('user').textContent = user && user.username ? 'Signed in as ' + user.username + ' (' + user.userId + ')'
    : user && user.error ? 'Session unknown: ' + user.error : 'Signed out'
  const tokens = $('tokens'); tokens.textContent = ''
  for (const [name, token] of Object.entries(report.tokens)) {
    const row = tokens.insertRow()
    cell(row, name)
    if (name === 'refresh') { cell(row, token.present ? 'present' : 'absent'); continue }
    cell(row, token.status, token.status === 'valid' ? 'ok' : token.status === 'expired' ? 'warn' : 'bad')
    cell(row, countdown(token.expiresAt)).dataset.expiresAt = token.expiresAt || ''
    if (token.claims) cell(row, '').appendChild(document.createElement('pre')).textContent = JSON.stringify(token.claims, null, 2)
  }
  const cookies = $('cookies'); cookies.textContent = ''
  for (const cookie of report.cookies) {
    const row = cookies.insertRow()
    cell(row, cookie.name)
    cell(row, cookie.size + ' B', cookie.overLimit ? 'bad' : cookie.size > 3500 ? 'warn' : '')
    cell(row, cookie.overLimit ? 'over the limit: the browser drops it' : '')
  }
  const total = cookies.insertRow()
  cell(total, 'Cookie header, all cookies'); cell(total, report.cookieHeaderSize + ' B')
  $('config').textContent = JSON.stringify(report.config, null, 2)
}
async function load() {
  report = await (await fetch('devtools.json', { cache: 'no-store' })).json()
  offset = report.now ? Math.floor(Date.now() / 1000) - report.now : 0
  render()
}
$('reload').onclick = load
setInterval(() => document.querySelectorAll('[data-expires-at]')
  .forEach(td => { td.textContent = countdown(Number(td.dataset.expiresAt)) }), 1000)
load()
</script>
</body></html>`

export default defineEventHandler((event) => {
  setResponseHeader(event, 'content-type', 'text/html; charset=utf-8')
  noStore(event)
  return page
})
