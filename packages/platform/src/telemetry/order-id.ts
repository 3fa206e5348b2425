import { context, propagation, trace, type Baggage, type Context, type Span } from "@opentelemetry/api";
import { Recent } from "./recent.js";
import { UnrecordedSpan } from "./unrecorded-span.js";

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
  const baggage = propagation.getBaggage(ctx);
  if (baggage?.getEntry(orderIdAttribute)?.value === orderId) return ctx;
  return propagation.setBaggage(ctx, baggage ? baggage.setEntry(orderIdAttribute, { value: orderId }) : orderBaggage(orderId));
}

/**
 * The baggage naming only `orderId`, one object per order among the recent
 * ones: the work on an order starts from it at each service, and the
 * propagator writes a baggage object's header once (w3c-propagator.ts).
 * Baggage is immutable, so sharing it is safe.
 */
const recentOrders = new Recent<Baggage>();

function orderBaggage(orderId: string): Baggage {
  return recentOrders.getOrMake(orderId, (id) => propagation.createBaggage({ [orderIdAttribute]: { value: id } }));
}

/**
 * The order each span was tagged with, by span: a span that records keeps it
 * as its attribute too, but one that does not (nothing exports spans) drops
 * attributes, and its log lines must still name the order. The service
 * tracer's own unrecorded spans keep it in a field instead.
 */
const tagged = new WeakMap<object, string>();

/** Tags the active span with the order it works on (cheap: one attribute; nothing when no span is active). */
export function tagOrder(orderId: string): void {
  const span = trace.getActiveSpan();
  if (span) tag(span, orderId);
}

function tag(span: Span, orderId: string): void {
  if (span instanceof UnrecordedSpan) {
    span.orderId = orderId;
    return;
  }
  span.setAttribute(orderIdAttribute, orderId);
  tagged.set(span, orderId);
}

/** The order the span was tagged with by tagOrder, if it was. */
export function taggedOrder(span: object): string | undefined {
  return span instanceof UnrecordedSpan ? span.orderId : tagged.get(span);
}

/**
 * Runs `work` as work on `orderId`: the active span is tagged, and every span
 * started inside (peer calls, storage, events published) carries the id too.
 */
export function withOrderId<T>(orderId: string, work: () => T): T {
  if (!orderId) return work();
  const active = context.active();
  const span = trace.getSpan(active);
  if (span) tag(span, orderId);
  const scoped = contextForOrder(active, orderId);
  return scoped === active ? work() : context.with(scoped, work);
}
