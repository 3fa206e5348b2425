import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { EndedWithStream } from "./stream-limits-messages.js";

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
 *
 * What an open stream holds here is kept small, since idle streams
 * (WatchOrder) are many: one AbortController and one listener each. Every
 * stream has the same lifetime, so the streams in the order they opened are
 * also in the order they expire, and one timer for the server ends the
 * oldest; one listener on `closing` ends them all.
 */
export function streamLimitsInterceptor(limits: StreamLimits, closing?: AbortSignal): Interceptor {
  const open = new Set<OpenStream>();
  let timer: NodeJS.Timeout | undefined;
  const expireOldest = () => {
    timer = undefined;
    const now = Date.now();
    for (const stream of open) {
      if (stream.endsAt > now) break;
      stream.end(new ConnectError(`stream open longer than ${limits.maxStreamLifetimeMs} ms: reconnect`, Code.Unavailable));
    }
    watchOldest();
  };
  const watchOldest = () => {
    const oldest = open.values().next().value;
    if (timer || !oldest) return;
    timer = setTimeout(expireOldest, Math.max(0, oldest.endsAt - Date.now()));
  };
  const release = (stream: OpenStream) => {
    open.delete(stream);
    if (open.size === 0) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
  closing?.addEventListener(
    "abort",
    () => {
      // The reason is the ConnectError the server closes with.
      for (const stream of [...open]) stream.end(closing.reason as Error);
    },
    { once: true },
  );

  return (next) => async (request) => {
    if (request.method.methodKind === "unary") return next(request);
    if (open.size >= limits.maxStreams) {
      throw new ConnectError(`too many open streams on this server (at most ${limits.maxStreams}): retry later`, Code.ResourceExhausted);
    }
    // A closing server ends its streams (with the closing reason) rather than waiting for them to end by themselves.
    closing?.throwIfAborted();
    const stream = new OpenStream(request.signal, Date.now() + limits.maxStreamLifetimeMs, release);
    open.add(stream);
    watchOldest();
    try {
      const response = await next({ ...request, signal: stream.signal });
      if (!response.stream) return response;
      return { ...response, message: stream.endWhenEnded(response.message) };
    } catch (error) {
      stream.release();
      throw error;
    }
  };
}

/**
 * One open stream: the signal its handler gets aborts when the call's own
 * signal does (the call ended, the client left: connect-es and the fast
 * paths abort it then, which also releases the slot) or when `end` ends it
 * (lifetime, closing).
 */
class OpenStream {
  private readonly controller = new AbortController();
  /** Why the server ended the stream (lifetime, closing), once it has. */
  endedBy: Error | undefined;
  private released = false;
  /** Its messages, once the handler answered: `end` fails the `next` they wait for, if any. */
  private messages: EndedWithStream<unknown> | undefined;

  constructor(
    private readonly callSignal: AbortSignal,
    readonly endsAt: number,
    private readonly onRelease: (stream: OpenStream) => void,
  ) {
    if (callSignal.aborted) this.callEnded();
    else callSignal.addEventListener("abort", this.callEnded, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Ends the stream: its handler's signal aborts, and its messages end with `reason`. */
  end(reason: Error): void {
    this.endedBy ??= reason;
    this.release();
    this.controller.abort(reason);
    // After the abort, as its listeners ran before: the handler hears of it first.
    this.messages?.failWaiting(this.endedBy);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.callSignal.removeEventListener("abort", this.callEnded);
    this.onRelease(this);
  }

  private readonly callEnded = () => {
    this.release();
    this.controller.abort(this.callSignal.reason);
  };

  /**
   * The messages of `messages` until the server ends the stream, then its
   * reason thrown: also when the handler is waiting for something that never
   * comes, or ends normally on the abort, as a handler looping
   * `while (!signal.aborted)` does. A handler left waiting is asked to
   * `return` (not awaited: it may be mid-await).
   */
  endWhenEnded<T>(messages: AsyncIterable<T>): AsyncIterable<T> {
    const ended = new EndedWithStream(this, messages);
    this.messages = ended as EndedWithStream<unknown>;
    return ended;
  }
}
