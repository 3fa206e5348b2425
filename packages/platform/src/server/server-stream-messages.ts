import { Code, ConnectError } from "@connectrpc/connect";

/**
 * The iterables a server-streaming call of the fast path is made of, written
 * as classes rather than generators: an idle stream (WatchOrder) keeps each
 * layer, and a generator keeps its frame and the last value it passed on.
 */

/** The messages of `source`, each passed through `map`; its return() reaches the source at once. */
export function mapNormalized<T, U>(source: AsyncIterable<T>, map: (value: T) => U): AsyncIterable<U> {
  return new MappedMessages(source, map);
}

/** mapNormalized's iterable: read once, its own iterator (no closures of its own per stream, an idle one keeps it). */
class MappedMessages<T, U> implements AsyncIterableIterator<U> {
  private iterator: AsyncIterator<T> | undefined;

  constructor(
    private readonly source: AsyncIterable<T>,
    private readonly map: (value: T) => U,
  ) {}

  [Symbol.asyncIterator](): this {
    this.iterator ??= this.source[Symbol.asyncIterator]();
    return this;
  }

  // Not async: a pending async function holds a frame of its own while an idle stream waits.
  next(): Promise<IteratorResult<U>> {
    const iterator = (this.iterator ??= this.source[Symbol.asyncIterator]());
    return iterator.next().then((next): IteratorResult<U> => (next.done ? { done: true, value: undefined } : { done: false, value: this.map(next.value) }));
  }

  async return(): Promise<IteratorResult<U>> {
    await this.iterator?.return?.();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<U>> {
    if (this.iterator?.throw) await this.iterator.throw(error);
    throw error;
  }
}

/** The one request message as the interceptors see it: read once, as the generator it replaces (which kept its frame once done). */
export function once<T>(message: T): AsyncIterable<T> {
  return new OneMessage(message);
}

class OneMessage<T> implements AsyncIterableIterator<T> {
  private sent = false;

  constructor(private readonly message: T) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.sent) return Promise.resolve({ done: true, value: undefined });
    this.sent = true;
    return Promise.resolve({ done: false, value: this.message });
  }

  return(): Promise<IteratorResult<T>> {
    this.sent = true;
    return Promise.resolve({ done: true, value: undefined });
  }
}

/** The one request message of a server-streaming call (interceptors may have replaced the iterable). */
export async function onlyMessage<T>(messages: AsyncIterable<T>): Promise<T> {
  const iterator = messages[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new ConnectError("protocol error: missing input message for server-streaming method", Code.Unimplemented);
  const second = await iterator.next();
  if (!second.done) throw new ConnectError("protocol error: received extra input message for server-streaming method", Code.Unimplemented);
  return first.value;
}

