// C4: what any awaited check costs a route, whatever it checks: an async handler that awaits once and marks the
// response private, as requireAmplifyUser does for a signed-in user. A reference beside C2, not a goal.
export default defineEventHandler(async (event) => {
  await Promise.resolve()
  setResponseHeader(event, 'cache-control', 'private, no-store')
  return { ok: true }
})
