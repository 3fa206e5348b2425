/** Headers' methods as methods: Node's types declare them as properties, which a subclass cannot override. */
interface FetchHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
  append(name: string, value: string): void;
  set(name: string, value: string): void;
  delete(name: string): void;
  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void;
  entries(): IterableIterator<[string, string]>;
  keys(): IterableIterator<string>;
  values(): IterableIterator<string>;
  [Symbol.iterator](): IterableIterator<[string, string]>;
  getSetCookie(): string[];
}
const FetchHeaders = Headers as unknown as new () => FetchHeaders;

/**
 * A Fetch Headers over Node's parsed request headers that answers `get` and
 * `has` from them directly and copies them in only when anything else is
 * asked (iteration, a change). Interceptors mostly read two or three headers
 * (the token, the trace context); copying all of them into a Headers for
 * that cost ten times as much as the reads.
 */
export class NodeRequestHeaders extends FetchHeaders {
  private copied = false;

  constructor(private readonly raw: Readonly<Record<string, string | string[] | undefined>>) {
    super();
  }

  override get(name: string): string | null {
    if (this.copied) return super.get(name);
    const value = this.rawValue(name);
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  override has(name: string): boolean {
    return this.copied ? super.has(name) : this.rawValue(name) !== undefined;
  }

  override append(name: string, value: string): void {
    this.copy();
    super.append(name, value);
  }

  override set(name: string, value: string): void {
    this.copy();
    super.set(name, value);
  }

  override delete(name: string): void {
    this.copy();
    super.delete(name);
  }

  override forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    this.copy();
    super.forEach(callback, thisArg);
  }

  override entries(): IterableIterator<[string, string]> {
    this.copy();
    return super.entries();
  }

  override keys(): IterableIterator<string> {
    this.copy();
    return super.keys();
  }

  override values(): IterableIterator<string> {
    this.copy();
    return super.values();
  }

  override [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  override getSetCookie(): string[] {
    this.copy();
    return super.getSetCookie();
  }

  private rawValue(name: string): string | string[] | undefined {
    const key = name.toLowerCase();
    return key.startsWith(":") ? undefined : this.raw[key];
  }

  private copy(): void {
    if (this.copied) return;
    this.copied = true;
    for (const name in this.raw) {
      const value = this.raw[name];
      if (name.startsWith(":") || value === undefined) continue;
      if (Array.isArray(value)) for (const each of value) super.append(name, each);
      else super.append(name, value);
    }
  }
}

