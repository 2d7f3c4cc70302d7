import { defineEventHandler, setResponseHeader } from 'h3'

// The DevTools sidebar draws a custom tab's icon from Iconify's online service unless it is an image URL: offline (and
// on a network without that service) a named icon stays blank and the tab is easy to miss. A user in Amplify's orange.
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#ff9900"/>`
  + `<circle cx="16" cy="12" r="5.5" fill="#232f3e"/><path d="M6.5 27c1.2-5.6 5-8.5 9.5-8.5s8.3 2.9 9.5 8.5z" fill="#232f3e"/></svg>`

export default defineEventHandler((event) => {
  setResponseHeader(event, 'content-type', 'image/svg+xml')
  setResponseHeader(event, 'cache-control', 'no-cache')
  return ICON
})
