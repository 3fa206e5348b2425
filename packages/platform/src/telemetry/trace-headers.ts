import { context, propagation } from "@opentelemetry/api";

/**
 * The active W3C trace context (traceparent, tracestate) as string headers;
 * empty when nothing is traced. Outbox events are stamped with it when
 * raised, so their publish joins the trace of the request or delivery that
 * caused them, however late the relay sends them.
 */
export function currentTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}
