import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/** Bounds on the streaming RPCs one server holds open. */
export interface StreamLimits {
  /** Streaming RPCs (server, client or bidi) open at once on this server; one more is refused RESOURCE_EXHAUSTED. */
  maxStreams: number;
  /** How long one streaming RPC may stay open before the server ends it with UNAVAILABLE. */
  maxStreamLifetimeMs: number;
}

/**
 * Server-side interceptor that keeps streaming RPCs bounded, in number and
 * in time; unary calls pass untouched.
 *
 * A stream past its lifetime ends with UNAVAILABLE: the code gRPC and Connect
 * clients treat as "try again", so a watcher reconnects and carries on (on
 * another instance, if this one is going away). DEADLINE_EXCEEDED would blame
 * the client's own deadline, and an OK end would read as "nothing more will
 * ever come". The handler's signal is aborted at that moment too, so it
 * stops its own work. When the server starts closing (`closing` aborts),
 * every open stream ends the same way, with UNAVAILABLE, at once: clients
 * reconnect to another instance instead of holding the drain open.
 */
export function streamLimitsInterceptor(limits: StreamLimits, closing?: AbortSignal): Interceptor {
  let open = 0;
  return (next) => async (request) => {
    if (request.method.methodKind === "unary") return next(request);
    if (open >= limits.maxStreams) {
      throw new ConnectError(`too many open streams on this server (at most ${limits.maxStreams}): retry later`, Code.ResourceExhausted);
    }
    // A closing server ends its streams (with the closing reason) rather than waiting for them to end by themselves.
    closing?.throwIfAborted();
    open += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      open -= 1;
      clearTimeout(timer);
    };
    const lifetime = new AbortController();
    const timer = setTimeout(
      () => lifetime.abort(new ConnectError(`stream open longer than ${limits.maxStreamLifetimeMs} ms: reconnect`, Code.Unavailable)),
      limits.maxStreamLifetimeMs,
    );
    // Connect aborts the request's signal when the call ends in any way (done, failed, client gone, shut down).
    request.signal.addEventListener("abort", release, { once: true });
    try {
      const ends = closing ? AbortSignal.any([lifetime.signal, closing]) : lifetime.signal;
      const response = await next({ ...request, signal: AbortSignal.any([request.signal, ends]) });
      if (!response.stream) return response;
      return { ...response, message: endWhenAborted(response.message, ends) };
    } catch (error) {
      release();
      throw error;
    }
  };
}

/**
 * The messages of `messages` until `signal` aborts, then its reason thrown:
 * also when the handler is waiting for something that never comes, or ends
 * normally on the abort, as a handler looping `while (!signal.aborted)` does.
 */
async function* endWhenAborted<T>(messages: AsyncIterable<T>, signal: AbortSignal): AsyncIterable<T> {
  const iterator = messages[Symbol.asyncIterator]();
  let onAbort = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    // The reason is the ConnectError the signal was aborted with (lifetime or closing).
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => {});
  let finished = false;
  try {
    for (;;) {
      const result = await Promise.race([iterator.next(), aborted]);
      if (result.done) break;
      yield result.value;
    }
    finished = true;
    signal.throwIfAborted();
  } finally {
    signal.removeEventListener("abort", onAbort);
    // Ask a handler left behind to clean up; it may be mid-await, so this is not awaited.
    if (!finished) void iterator.return?.()?.catch?.(() => {});
  }
}
