// The server's memory after a full garbage collection (the bench starts it with --expose-gc): what it retains, as
// opposed to RSS, which also holds what V8 and malloc keep mapped for reuse.
export default defineEventHandler(() => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw createError({ statusCode: 501, statusMessage: 'start the server with --expose-gc' })
  gc()
  gc()
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage()
  return { rss, heapUsed, heapTotal, external, arrayBuffers }
})
