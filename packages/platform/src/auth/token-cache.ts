/**
 * Verified tokens and what they proved, kept until they expire so a client
 * reusing one token pays for its signature check once. Bounded: past `size`
 * entries the oldest is dropped.
 */
export class TokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(
    private readonly size: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.value;
  }

  set(token: string, value: T, expiresAt: number): void {
    this.entries.delete(token);
    this.entries.set(token, { value, expiresAt });
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
}
