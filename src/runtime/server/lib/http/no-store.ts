import { setResponseHeader } from 'h3'
import type { H3Event } from 'h3'

/** Answers that are per visitor (auth routes, the DevTools session report): never stored by any cache. */
export function noStore(event: H3Event): void {
  setResponseHeader(event, 'cache-control', 'no-store')
}
