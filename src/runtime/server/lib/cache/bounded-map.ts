/**
 * A `Map` that keeps at most `max` entries: setting a key makes it the newest, and past `max` the oldest goes. The one
 * bound of every process-wide cache (token verdicts, identity credentials, memoized strings, warned cookie names), so
 * that a client sending ever new values cannot grow the server's memory.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super()
  }

  override set(key: K, value: V): this {
    super.delete(key)
    super.set(key, value)
    if (this.size > this.max) super.delete(this.keys().next().value!)
    return this
  }
}
