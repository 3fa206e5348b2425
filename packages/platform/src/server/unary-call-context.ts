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
  const context: HandlerContext = {
    method: spec.method,
    service: spec.method.parent,
    requestMethod: "POST",
    protocolName,
    url: `http://${exchange.authority}${exchange.path}`,
    signal: controller.signal,
    timeoutMs: () => (deadline === undefined ? undefined : deadline - Date.now()),
    requestHeader: requestHeaders(exchange),
    get responseHeader() {
      return metadata.header;
    },
    get responseTrailer() {
      return metadata.trailer;
    },
    values: createContextValues(),
  };
  return {
    context,
    metadata,
    release() {
      clearTimeout(timer);
      calls?.delete(controller);
    },
  };
}
