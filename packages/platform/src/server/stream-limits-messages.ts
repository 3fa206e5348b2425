/**
 * The messages of a stream as stream-limits.ts's endWhenEnded gives them: failed
 * with the stream's end (`endedBy`) once the server ended it. Read once, its own
 * iterator. While the handler waits (an idle stream) it holds the pending
 * `next`'s resolve and reject in fields, and its two result callbacks are
 * made once per stream: no closures per `next` for an idle stream to keep.
 */
export class EndedWithStream<T> implements AsyncIterableIterator<T> {
  private iterator: AsyncIterator<T> | undefined;
  private resolveWaiting: ((result: IteratorResult<T>) => void) | undefined;
  private rejectWaiting: ((reason: unknown) => void) | undefined;

  constructor(
    private readonly stream: { readonly endedBy: Error | undefined },
    private readonly messages: AsyncIterable<T>,
  ) {}

  [Symbol.asyncIterator](): this {
    this.iterator ??= this.messages[Symbol.asyncIterator]();
    return this;
  }

  /** Reads one message, failed with the stream's end if that comes first (see endWhenEnded). */
  next(): Promise<IteratorResult<T>> {
    const iterator = (this.iterator ??= this.messages[Symbol.asyncIterator]());
    const endedBy = this.stream.endedBy;
    if (endedBy) {
      this.leaveBehind();
      return Promise.reject(endedBy);
    }
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.resolveWaiting = resolve;
      this.rejectWaiting = reject;
      iterator.next().then(this.received, this.failed);
    });
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    return this.iterator?.return?.(value) ?? Promise.resolve({ done: true as const, value: undefined as never });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    return this.iterator?.throw?.(error) ?? Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  /** The stream ended while the handler was waiting: the `next` fails with `reason`, and the handler is left behind. */
  failWaiting(reason: Error): void {
    const reject = this.rejectWaiting;
    if (!reject) return;
    this.settled();
    this.leaveBehind();
    reject(reason);
  }

  private readonly received = (result: IteratorResult<T>): void => {
    const resolve = this.resolveWaiting;
    const reject = this.rejectWaiting;
    // Nothing waits any more when the stream ended first (failWaiting).
    if (!resolve || !reject) return;
    this.settled();
    const endedBy = this.stream.endedBy;
    if (result.done && endedBy) reject(endedBy);
    else resolve(result);
  };

  private readonly failed = (error: unknown): void => {
    const reject = this.rejectWaiting;
    if (!reject) return;
    this.settled();
    reject(error);
  };

  private settled(): void {
    this.resolveWaiting = undefined;
    this.rejectWaiting = undefined;
  }

  private leaveBehind(): void {
    void this.iterator?.return?.()?.catch(() => {});
  }
}
