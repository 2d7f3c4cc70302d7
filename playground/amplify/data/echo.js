// AppSync JS resolver of the `echo` query (NONE data source: the request's payload is the result).

/** @param {{ arguments: { text: string }, identity?: { username?: string } | null }} ctx */
export function request(ctx) {
  const { text } = ctx.arguments
  return { payload: { text, length: text.length, caller: ctx.identity?.username ?? null } }
}

/** @param {{ result: unknown }} ctx */
export function response(ctx) {
  return ctx.result
}
