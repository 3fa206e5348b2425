import { Code, ConnectError, createContextValues, type HandlerContext } from "@connectrpc/connect";
import { requestHeaders } from "./node-messages.js";
import type { UnaryExchange } from "./unary-exchange.js";
import type { UnaryImplSpec } from "./unary-methods.js";
import type { UnaryCall } from "./unary-wire.js";

/** A handler context, its response metadata and what ends it: called once the call is answered. */
export interface UnaryCallContext {
  context: HandlerContext;
  metadata: ResponseMetadata;
  release: () => void;
}

/**
 * The call's response headers and trailers, made only when something asks
 * for them. Most calls never do: they are answered with the protocol's own
 * headers, written from a plain record, without two Fetch Headers made,
 * sorted and copied per call (bench/PROFILE.md).
 */
export class ResponseMetadata {
  private madeHeader: Headers | undefined;
  private madeTrailer: Headers | undefined;

  constructor(
    private readonly protocolHeader: Readonly<Record<string, string>>,
    private readonly protocolTrailer: Readonly<Record<string, string>> | undefined,
  ) {}

  get header(): Headers {
    return (this.madeHeader ??= new Headers(this.protocolHeader));
  }

  get trailer(): Headers {
    return (this.madeTrailer ??= new Headers(this.protocolTrailer));
  }

  /** The headers as changed by the call, or undefined while nothing has asked for them. */
  get headerIfMade(): Headers | undefined {
    return this.madeHeader;
  }

  get trailerIfMade(): Headers | undefined {
    return this.madeTrailer;
  }
}

/**
 * The calls in flight per shutdown signal: one listener per server aborts
 * them all, where connect-es links every call's signal to it (a listener
 * added and removed, and an abort with a fresh AbortError, per call).
 */
const inFlight = new WeakMap<AbortSignal, Set<AbortController>>();

export function callsOf(shutdown: AbortSignal): Set<AbortController> {
  let calls = inFlight.get(shutdown);
  if (!calls) {
    const created = new Set<AbortController>();
    shutdown.addEventListener("abort", () => {
      for (const call of created) call.abort(shutdown.reason);
    });
    inFlight.set(shutdown, (calls = created));
  }
  return calls;
}

/**
 * The same context connect-es's createHandlerContext makes (its signal aborts
 * when the client goes away, the deadline passes or the server shuts down),
 * with one AbortController per call, a timer only when the call has a
 * deadline, nothing to abort when the call ends well, and the response
 * headers made only when asked for (ResponseMetadata).
 */
export function unaryCallContext(
  spec: UnaryImplSpec,
  call: UnaryCall,
  protocolName: string,
  exchange: UnaryExchange,
  shutdown: AbortSignal | undefined,
): UnaryCallContext {
  const controller = new AbortController();
  exchange.whenClientGoes(() => controller.abort(new ConnectError("the client went away", Code.Canceled)));
  const calls = shutdown && callsOf(shutdown);
  if (shutdown?.aborted) controller.abort(shutdown.reason);
  calls?.add(controller);
  // Whole milliseconds, as connect-es's context (a Date) gives them: gRPC timeouts in µs or ns are fractional.
  const deadline = call.timeoutMs === undefined ? undefined : new Date(Date.now() + call.timeoutMs).getTime();
  const timedOut = () => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded));
  if (call.timeoutMs !== undefined && call.timeoutMs <= 0) timedOut();
  const timer = call.timeoutMs === undefined || call.timeoutMs <= 0 ? undefined : setTimeout(timedOut, call.timeoutMs);
  const metadata = new ResponseMetadata(call.responseHeader, call.responseTrailer);
  const context = new UnaryHandlerContext(spec, protocolName, `http://${exchange.authority}${exchange.path}`, controller.signal, deadline, requestHeaders(exchange), metadata);
  return {
    context,
    metadata,
    release() {
      clearTimeout(timer);
      calls?.delete(controller);
    },
  };
}

/**
 * A unary call's handler context. A class, not an object literal: the two
 * response getters then live on its prototype, where a literal with getters
 * is built through the V8 runtime each time (~600 ns against ~25 for the
 * class, `node` micro-benchmark; bench/PROFILE.md).
 */
class UnaryHandlerContext implements HandlerContext {
  readonly method: HandlerContext["method"];
  readonly service: HandlerContext["service"];
  readonly requestMethod = "POST";
  readonly values = createContextValues();
  /** A function of its own, as connect-es's context has: an implementation may pass it around detached. */
  readonly timeoutMs = (): number | undefined => (this.deadline === undefined ? undefined : this.deadline - Date.now());

  constructor(
    spec: UnaryImplSpec,
    readonly protocolName: string,
    readonly url: string,
    readonly signal: AbortSignal,
    private readonly deadline: number | undefined,
    readonly requestHeader: Headers,
    private readonly metadata: ResponseMetadata,
  ) {
    this.method = spec.method;
    this.service = spec.method.parent;
  }

  get responseHeader(): Headers {
    return this.metadata.header;
  }

  get responseTrailer(): Headers {
    return this.metadata.trailer;
  }
}
