/**
 * A map of what was made lately from short strings (headers, ids), for work
 * that repeats on the per-order path: an order's trace context and baggage
 * arrive unchanged at every event and hop. Bounded: it starts over when
 * `limit` keys are kept, and keys longer than `maxKeyLength` are not kept.
 * For immutable values only (contexts, baggage): every caller gets the same.
 */
export class Recent<V> {
  private readonly values = new Map<string, V>();

  constructor(
    private readonly limit = 1024,
    private readonly maxKeyLength = 256,
  ) {}

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  /** The value kept for `key`, else `make(key)`, kept for next time when the key is short enough. */
  getOrMake(key: string, make: (key: string) => V): V {
    const known = this.values.get(key);
    if (known !== undefined || this.values.has(key)) return known as V;
    const made = make(key);
    this.set(key, made);
    return made;
  }

  set(key: string, value: V): void {
    if (key.length > this.maxKeyLength) return;
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(key, value);
  }
}
