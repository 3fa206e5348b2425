import { context, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { contextForOrder, orderIdAttribute, withOrderId } from "./order-id.js";

/** Runs work on one order (see orderWork). */
export type OrderWork = <T>(orderId: string, work: () => Promise<T>) => Promise<T>;

/**
 * How a use case marks the work it does on one order. Inside a request or
 * delivery, the work joins its span (withOrderId). Started by a timer, with no
 * span around it (the payment-deadline sweep), it gets a span of its own,
 * `name`, tagged with the order; the aggregate store links that span to the
 * trace the order was created in when it loads the order.
 */
export function orderWork(tracer: Tracer, name: string): OrderWork {
  return async (orderId, work) => {
    if (trace.getActiveSpan()) return withOrderId(orderId, work);
    const span = tracer.startSpan(name, { attributes: { [orderIdAttribute]: orderId } });
    try {
      return await context.with(trace.setSpan(contextForOrder(context.active(), orderId), span), work);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  };
}
