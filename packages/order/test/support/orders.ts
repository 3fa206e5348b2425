import { newId } from "@oms/platform/ids";
import { Order, type OrderLine, type OrderStatus } from "../../src/domain/order.js";

export const margherita: OrderLine = { itemId: "01KDVDNA008K7ESVVT02SXGT1B", name: "Margherita", quantity: 2, unitPrice: { currencyCode: "EUR", amountMinor: 950 } };
export const espresso: OrderLine = { itemId: "01KDVDNJS8YKHBMJX9HAV3X8KD", name: "Espresso", quantity: 1, unitPrice: { currencyCode: "EUR", amountMinor: 250 } };

export const t0 = new Date("2026-11-25T12:00:00Z");

/** A new PENDING order; `overrides` change its customer, key, lines or times. */
export function newOrder(overrides: Partial<{ id: string; customerId: string; idempotencyKey: string; lines: OrderLine[]; now: Date; paymentDeadline: Date }> = {}): Order {
  const now = overrides.now ?? t0;
  return Order.create({
    id: overrides.id ?? newId(),
    customerId: overrides.customerId ?? "alice",
    idempotencyKey: overrides.idempotencyKey ?? newId(),
    lines: overrides.lines ?? [margherita, espresso],
    paymentDeadline: overrides.paymentDeadline ?? new Date(now.getTime() + 15 * 60_000),
    now,
  });
}

/** The moves that lead from PENDING to each status. */
const pathTo: Record<OrderStatus, Array<(order: Order, now: Date) => void>> = {
  PENDING: [],
  AWAITING_PAYMENT: [(o, now) => o.awaitPayment("https://pay.example/1", now)],
  PAID: [(o, now) => o.awaitPayment("https://pay.example/1", now), (o, now) => o.pay(now)],
  PREPARING: [(o, now) => o.awaitPayment("https://pay.example/1", now), (o, now) => o.pay(now), (o, now) => o.startPreparing(now)],
  READY: [(o, now) => o.awaitPayment("https://pay.example/1", now), (o, now) => o.pay(now), (o, now) => o.startPreparing(now), (o, now) => o.markReady(now)],
  COMPLETED: [
    (o, now) => o.awaitPayment("https://pay.example/1", now),
    (o, now) => o.pay(now),
    (o, now) => o.startPreparing(now),
    (o, now) => o.markReady(now),
    (o, now) => o.complete(now),
  ],
  CANCELLED: [(o, now) => o.cancel("changed my mind", now)],
};

/** Moves `order` along the legal path to `status`. */
export function moveTo(order: Order, status: OrderStatus, now = t0): Order {
  for (const step of pathTo[status]) step(order, now);
  return order;
}

/** A new order already in `status`. */
export function orderIn(status: OrderStatus, overrides: Parameters<typeof newOrder>[0] = {}): Order {
  return moveTo(newOrder(overrides), status);
}
