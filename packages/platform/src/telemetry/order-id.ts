import { context, propagation, trace, type Context } from "@opentelemetry/api";

/**
 * The one name an order's id goes by in telemetry: a span attribute on every
 * span that works on an order (search Jaeger by the tag `oms.order_id=<id>`),
 * the field of every log line written inside one, and the W3C baggage entry
 * that carries it across RPCs and events.
 */
export const orderIdAttribute = "oms.order_id";

/** The order the work in `ctx` is about, from its baggage. */
export function orderIdIn(ctx: Context): string | undefined {
  return propagation.getBaggage(ctx)?.getEntry(orderIdAttribute)?.value;
}

/** `ctx` as the context of work on `orderId`: its baggage names the order, so every span started in it (and every peer it calls) is tagged. */
export function contextForOrder(ctx: Context, orderId: string): Context {
  if (orderIdIn(ctx) === orderId) return ctx;
  const baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, baggage.setEntry(orderIdAttribute, { value: orderId }));
}

/**
 * The order each span was tagged with, by span: a span that records keeps it
 * as its attribute too, but one that does not (nothing exports spans) drops
 * attributes, and its log lines must still name the order.
 */
const tagged = new WeakMap<object, string>();

/** Tags the active span with the order it works on (cheap: one attribute; nothing when no span is active). */
export function tagOrder(orderId: string): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttribute(orderIdAttribute, orderId);
  tagged.set(span, orderId);
}

/** The order the span was tagged with by tagOrder, if it was. */
export function taggedOrder(span: object): string | undefined {
  return tagged.get(span);
}

/**
 * Runs `work` as work on `orderId`: the active span is tagged, and every span
 * started inside (peer calls, storage, events published) carries the id too.
 */
export function withOrderId<T>(orderId: string, work: () => T): T {
  if (!orderId) return work();
  tagOrder(orderId);
  const active = context.active();
  const scoped = contextForOrder(active, orderId);
  return scoped === active ? work() : context.with(scoped, work);
}
