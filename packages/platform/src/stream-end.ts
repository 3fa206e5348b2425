/** What to do when a stream of messages ends. */
export interface StreamEnd {
  /** The messages ran out (not called when the consumer stops early with `return`). */
  done?(): void;
  /** Reading them failed with `error`; returns what the consumer sees thrown instead. */
  failed(error: unknown): unknown;
}

/**
 * The messages of `messages`, with `end` told how they ended: what
 * `async function* () { try { yield* messages; end.done() } catch (e) { throw end.failed(e) } }`
 * does, written out. An async generator keeps a generator object, its
 * registers (the last message it passed on among them), a request queue and
 * a promise per pending `next`: for a server stream that sits idle
 * (WatchOrder), each such layer cost about 0.6 KiB (bench/PROFILE.md, "Streams").
 * Like the generator, it is its own iterator (read once), opens `messages`
 * on the first `next`, passes `return` and `throw` on to it, and answers
 * done once it has ended. Unlike a generator it does not queue overlapping
 * calls: its readers (the fast path, Connect's handler) wait for each one.
 */
export function onStreamEnd<T>(messages: AsyncIterable<T>, end: StreamEnd): AsyncIterableIterator<T> {
  return new EndObserver(messages, end);
}

const over: IteratorReturnResult<undefined> = { done: true, value: undefined };

class EndObserver<T> implements AsyncIterableIterator<T> {
  private iterator: AsyncIterator<T> | undefined;
  private finished = false;

  constructor(
    private readonly messages: AsyncIterable<T>,
    private readonly end: StreamEnd,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.finished) return Promise.resolve(over);
    return this.settle(() => (this.iterator ??= this.messages[Symbol.asyncIterator]()).next(), true);
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    const iterator = this.iterator;
    if (this.finished || !iterator?.return) {
      this.finished = true;
      return Promise.resolve({ done: true, value: value as T });
    }
    return this.settle(() => iterator.return!(value), false);
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    const iterator = this.iterator;
    if (this.finished || !iterator) {
      this.finished = true;
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- thrown back as given, as a generator that has not started does.
      return Promise.reject(error);
    }
    if (!iterator.throw) {
      void iterator.return?.()?.catch(() => {});
      return this.fail(new TypeError("The iterator does not provide a 'throw' method"));
    }
    return this.settle(() => iterator.throw!(error), true);
  }

  /** The result of one step: passed on while messages come; done (told to `end` when they ran out) or a failure end. */
  private settle(step: () => Promise<IteratorResult<T>>, ranOutIsDone: boolean): Promise<IteratorResult<T>> {
    let pending: Promise<IteratorResult<T>>;
    try {
      pending = step();
    } catch (error) {
      return this.fail(error);
    }
    return pending.then(
      (result) => {
        if (!result.done && ranOutIsDone) return result;
        this.finished = true;
        if (!ranOutIsDone) return { done: true, value: result.value as T };
        this.end.done?.();
        return over;
      },
      (error: unknown) => this.fail(error),
    );
  }

  private fail(error: unknown): Promise<never> {
    this.finished = true;
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- what `failed` returns is what the generator would throw.
    return Promise.reject(this.end.failed(error));
  }
}
