import { context, INVALID_SPAN_CONTEXT, trace, TraceFlags, type Context, type Span, type SpanOptions, type Tracer } from "@opentelemetry/api";
import { isTracingSuppressed } from "@opentelemetry/core";
import { RandomIdGenerator } from "@opentelemetry/sdk-trace";
import { UnrecordedSpan, validSpanContext } from "./unrecorded-span.js";

const ids = new RandomIdGenerator();

/**
 * The service's tracer, which makes a non-recording span itself while
 * nothing exports spans (`exporting` false): the span the SDK would return
 * for its sampler's NOT_RECORD (the parent's trace id, a new span id, not
 * sampled), without the SDK's work before it asks the sampler: cleaning the
 * attributes, copying the links, counting the span in its own metrics. That
 * work was most of what tracing cost an order, and the event bus per
 * message, with no exporter (bench/PROFILE.md). Context still propagates:
 * peers, events and log lines keep the trace. With an exporter, the SDK's
 * tracer does everything.
 */
export function cheapWhenNotExported(recording: Tracer, exporting: () => boolean): Tracer {
  const tracer: Tracer = {
    startSpan(name: string, options?: SpanOptions, parentContext: Context = context.active()): Span {
      if (exporting()) return recording.startSpan(name, options, parentContext);
      return nonRecordingSpan(options?.root ? undefined : parentContext);
    },
    startActiveSpan<F extends (span: Span) => unknown>(name: string, ...rest: unknown[]): ReturnType<F> {
      // The API's overloads: (fn), (options, fn), (options, context, fn).
      const fn = rest.at(-1) as (span: Span) => ReturnType<F>;
      const options = rest.length >= 2 ? (rest[0] as SpanOptions | undefined) : undefined;
      const parentContext = rest.length >= 3 ? (rest[1] as Context) : context.active();
      const span = tracer.startSpan(name, options, parentContext);
      return context.with(trace.setSpan(parentContext, span), fn, undefined, span);
    },
  };
  return tracer;
}

function nonRecordingSpan(parentContext: Context | undefined): Span {
  // As the SDK: no trace at all where tracing is suppressed (the exporters' own calls).
  if (parentContext && isTracingSuppressed(parentContext)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  const inherited = parentContext && validSpanContext(trace.getSpan(parentContext));
  return new UnrecordedSpan({
    traceId: inherited?.traceId ?? ids.generateTraceId(),
    spanId: ids.generateSpanId(),
    traceFlags: TraceFlags.NONE,
    traceState: inherited?.traceState,
  });
}
