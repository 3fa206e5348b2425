import { context, propagation, ROOT_CONTEXT, SpanKind, trace, type Span, type Tracer } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace";
import { contextForOrder } from "./order-id.js";

/** Each service's tracer by its service.name, so what is stored for later is traced by the service storing it. */
const tracers = new Map<string, Tracer>();

export function registerServiceTracer(serviceName: string, tracer: Tracer): void {
  tracers.set(serviceName, tracer);
}

function tracerOf(span: Span): Tracer | undefined {
  const serviceName = (span as Partial<ReadableSpan>).resource?.attributes["service.name"];
  return typeof serviceName === "string" ? tracers.get(serviceName) : undefined;
}

/** The header naming the span that caused an event raised outside its aggregate's trace: its publish span links to it. */
export const causeHeader = "oms-caused-by";

/** The trace id in a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
const traceIdOf = (traceparent: string | undefined) => traceparent?.slice(3, 35);

/**
 * The trace context to keep with something acted on later (an outbox event,
 * a new aggregate), as W3C headers (traceparent, baggage with the order id):
 *
 * - outside any span (a cook, a timer): empty; the caller keeps the
 *   aggregate's own creation context (`created`).
 * - in a span of the aggregate's trace (or of a new aggregate): the context
 *   of a zero-length PRODUCER span `name` ("create order.paid"), made now
 *   as a child of that span. Whatever continues from it later (the publish,
 *   each consumer's process span) is its child, starts after it and lasts
 *   longer: never taken for clock skew, as a child of the long-ended span
 *   that raised it would be.
 * - in a span of another trace (CompleteOrder, a pay click, the deadline
 *   sweep): `created`, so the order stays one trace, plus the active span
 *   in `causeHeader`; the active span gets a link to `created`.
 */
export function creationContext(name: string, orderId?: string, created?: Record<string, string>): Record<string, string> {
  const active = context.active();
  const span = trace.getSpan(active);
  if (!span) return {};
  const current = span.spanContext();
  const createdTraceId = traceIdOf(created?.traceparent);
  if (createdTraceId && createdTraceId !== current.traceId) {
    const origin = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, created!));
    if (origin) span.addLink({ context: origin, attributes: { "oms.link": "order story" } });
    return { ...created, [causeHeader]: `00-${current.traceId}-${current.spanId}-0${current.traceFlags}` };
  }
  const scoped = orderId ? contextForOrder(active, orderId) : active;
  const headers: Record<string, string> = {};
  const tracer = tracerOf(span);
  if (!tracer) {
    propagation.inject(scoped, headers);
    return headers;
  }
  const now = performance.now();
  const anchor = tracer.startSpan(name, { kind: SpanKind.PRODUCER, startTime: now }, scoped);
  anchor.end(now);
  propagation.inject(trace.setSpan(scoped, anchor), headers);
  return headers;
}

/** The span an event's `causeHeader` names, for a link. */
export function causeOf(headers: Record<string, string>) {
  const cause = headers[causeHeader];
  return cause ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { traceparent: cause })) : undefined;
}
