import { Code, ConnectError, type Interceptor, type StreamResponse, type UnaryResponse } from "@connectrpc/connect";
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Counter, type Histogram, type Span } from "@opentelemetry/api";
import { onStreamEnd, type StreamEnd } from "../stream-end.js";
import type { Telemetry } from "./telemetry.js";

const headerGetter = {
  get: (carrier: Headers, key: string) => carrier.get(key) ?? undefined,
  keys: (carrier: Headers) => [...carrier.keys()],
};
const headerSetter = { set: (carrier: Headers, key: string, value: string) => carrier.set(key, value) };

/** Connect error codes by name, as the rpc semantic conventions record them. */
function codeName(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  return Code[ConnectError.from(error).code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

function rpcAttributes(service: string, method: string): Attributes {
  return { "rpc.system": "connect_rpc", "rpc.service": service, "rpc.method": method };
}

/** Ends the span when a streaming response is fully read (or fails), not when the call returns. */
function endWithStream<T extends UnaryResponse | StreamResponse>(response: T, finish: (error?: unknown) => void): T {
  if (!response.stream) {
    finish();
    return response;
  }
  // Not an async generator: an idle stream (WatchOrder) would keep its frame and the last message sent.
  return { ...response, message: onStreamEnd(response.message, new SpanEnd(finish)) };
}

/** A stream's end told to its span: one object, not a closure and its scope besides (an idle stream keeps it). */
class SpanEnd implements StreamEnd {
  constructor(private readonly finish: (error?: unknown) => void) {}

  done(): void {
    this.finish();
  }

  failed(error: unknown): unknown {
    this.finish(error);
    return error;
  }
}

/**
 * Ends one RPC's span and records its metrics. Made outside the
 * interceptor's scope: a stream keeps this function until it ends, and a
 * closure made there would keep the whole request too (closures share their scope).
 */
function finisher(instruments: { duration: Histogram; errors: Counter }, span: Span, attributes: Attributes, started: number): (error?: unknown) => void {
  return (error?: unknown) => {
    const code = codeName(error);
    const metricAttributes = { ...attributes, "rpc.connect_rpc.error_code": code ?? "ok" };
    instruments.duration.record(performance.now() - started, metricAttributes);
    if (code) {
      instruments.errors.add(1, metricAttributes);
      span.setAttribute("rpc.connect_rpc.error_code", code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: ConnectError.from(error).rawMessage });
    }
    span.end();
  };
}

function instrument(telemetry: Telemetry, kind: SpanKind.SERVER | SpanKind.CLIENT): Interceptor {
  const side = kind === SpanKind.SERVER ? "server" : "client";
  const duration = telemetry.meter.createHistogram(`rpc.${side}.duration`, { unit: "ms", description: `RPC ${side} latency` });
  const errors = telemetry.meter.createCounter(`rpc.${side}.errors`, { description: `RPCs that ended with an error, by code` });
  const instruments = { duration, errors };
  return (next) => async (request) => {
    const attributes = rpcAttributes(request.service.typeName, request.method.name);
    const parent = kind === SpanKind.SERVER ? propagation.extract(context.active(), request.header, headerGetter) : context.active();
    const span: Span = telemetry.tracer.startSpan(`${request.service.typeName}/${request.method.name}`, { kind, attributes }, parent);
    const finish = finisher(instruments, span, attributes, performance.now());
    const active = trace.setSpan(parent, span);
    if (kind === SpanKind.CLIENT) propagation.inject(active, request.header, headerSetter);
    try {
      const response = await context.with(active, () => next(request));
      return endWithStream(response, finish);
    } catch (error) {
      finish(error);
      throw error;
    }
  };
}

/** Server span per RPC, child of the caller's span carried in the request headers (W3C traceparent). */
export function serverTracingInterceptor(telemetry: Telemetry): Interceptor {
  return instrument(telemetry, SpanKind.SERVER);
}

/** Client span per outgoing RPC; injects its trace context into the request headers. */
export function clientTracingInterceptor(telemetry: Telemetry): Interceptor {
  return instrument(telemetry, SpanKind.CLIENT);
}
