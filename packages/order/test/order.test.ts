import { PreconditionError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { DuplicateIdempotencyKeyError } from "../src/domain/order-repository.js";
import { Order, orderStatuses, type OrderStatus } from "../src/domain/order.js";
import { espresso, margherita, newOrder, orderIn, t0 } from "./support/orders.js";

const later = new Date(t0.getTime() + 60_000);

/** Each move, by the status it leads to. */
const moves: Record<Exclude<OrderStatus, "PENDING">, { verb: string; apply: (order: Order) => unknown }> = {
  AWAITING_PAYMENT: { verb: "await payment", apply: (order) => order.awaitPayment("https://pay.example/x", later) },
  PAID: { verb: "be paid", apply: (order) => order.pay(later) },
  PREPARING: { verb: "start preparing", apply: (order) => order.startPreparing(later) },
  READY: { verb: "be ready", apply: (order) => order.markReady(later) },
  COMPLETED: { verb: "complete", apply: (order) => order.complete(later) },
  CANCELLED: { verb: "cancel", apply: (order) => order.cancel("no longer hungry", later) },
};

const legal = new Set([
  "PENDING->AWAITING_PAYMENT",
  "PENDING->CANCELLED",
  "AWAITING_PAYMENT->PAID",
  "AWAITING_PAYMENT->CANCELLED",
  "PAID->PREPARING",
  "PREPARING->READY",
  "READY->COMPLETED",
]);

/** Commands a client may repeat after a lost answer: already there is "done", not "refused". */
const repeatable = new Set(["CANCELLED->CANCELLED", "COMPLETED->COMPLETED"]);

const eventOf: Partial<Record<OrderStatus, string>> = { PAID: "order.paid", COMPLETED: "order.completed", CANCELLED: "order.cancelled" };

describe("Order.create", () => {
  it("is PENDING with a total in one currency and order.created in its outbox", () => {
    const order = newOrder({ id: "01KDVE0000000000000000000A" });
    expect(order.status).toBe("PENDING");
    expect([order.paymentUrl, order.cancelReason]).toEqual(["", ""]);
    expect(order.total).toEqual({ currencyCode: "EUR", amountMinor: 2 * 950 + 250 });
    expect(order.version).toBe(1);
    expect(order.outbox).toHaveLength(1);
    expect(order.outbox[0]).toMatchObject({ type: "order.created", orderId: "01KDVE0000000000000000000A", customerId: "alice", total: order.total });
    expect(order.outbox[0]).toMatchObject({ lines: [margherita, espresso], paymentDeadline: order.paymentDeadline });
  });

  it("refuses lines in different currencies", () => {
    const dollars = { ...espresso, unitPrice: { currencyCode: "USD", amountMinor: 300 } };
    expect(() => newOrder({ lines: [margherita, dollars] })).toThrow(PreconditionError);
    expect(() => newOrder({ lines: [margherita, dollars] })).toThrow(/different currencies/);
  });

  it("refuses an order without lines", () => {
    expect(() => newOrder({ lines: [] })).toThrow(PreconditionError);
    expect(() => newOrder({ lines: [] })).toThrow("an order needs at least one line");
  });

  it("names the key and the order it is taken by when the key is already used", () => {
    const order = newOrder({ id: "01KDVE0000000000000000000A", idempotencyKey: "key-1" });
    expect(new DuplicateIdempotencyKeyError(order).message).toBe('an order with idempotency key "key-1" exists: 01KDVE0000000000000000000A');
  });

  it("survives a snapshot round trip without sharing state", () => {
    const order = orderIn("AWAITING_PAYMENT");
    const copy = Order.fromSnapshot(order.toSnapshot());
    expect(copy.toSnapshot()).toEqual(order.toSnapshot());
    copy.pay(later);
    expect(order.status).toBe("AWAITING_PAYMENT");
  });
});

describe("Order state machine", () => {
  for (const from of orderStatuses) {
    for (const [to, move] of Object.entries(moves) as Array<[keyof typeof moves, (typeof moves)[keyof typeof moves]]>) {
      const isLegal = legal.has(`${from}->${to}`);
      const isRepeat = repeatable.has(`${from}->${to}`);
      it(`${from} -> ${to} is ${isLegal ? "legal" : isRepeat ? "a repeat that changes nothing" : "refused"}`, () => {
        const order = orderIn(from);
        const before = order.toSnapshot();
        if (isRepeat) {
          expect(move.apply(order)).toBe(false);
          expect(order.toSnapshot()).toEqual(before);
        } else if (isLegal) {
          move.apply(order);
          expect(order.status).toBe(to);
          expect(order.version).toBe(before.version + 1);
          expect(order.updateTime).toEqual(later);
          const raised = order.outbox.slice(before.outbox.length).map((event) => event.type);
          expect(raised).toEqual(eventOf[to] ? [eventOf[to]] : []);
        } else {
          let error: unknown;
          try {
            move.apply(order);
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(PreconditionError);
          expect((error as Error).message).toBe(`order ${order.id} is ${from}; cannot ${move.verb}`);
          expect(order.toSnapshot()).toEqual(before);
        }
      });
    }
  }

  it("keeps the payment url, the cancel reason and the event contents", () => {
    const order = orderIn("PENDING");
    order.awaitPayment("https://pay.example/abc", later);
    expect(order.paymentUrl).toBe("https://pay.example/abc");
    order.cancel("payment deadline passed", later);
    expect(order.cancelReason).toBe("payment deadline passed");
    expect(order.outbox.at(-1)).toMatchObject({ type: "order.cancelled", orderId: order.id, reason: "payment deadline passed" });
    order.cancel("changed my mind", later);
    expect(order.cancelReason).toBe("payment deadline passed");

    const paid = orderIn("PAID");
    expect(paid.outbox.at(-1)).toMatchObject({ type: "order.paid", orderId: paid.id, lines: paid.lines, total: paid.total });
  });

  it("knows when the payment deadline has passed, only while unpaid", () => {
    const order = newOrder({ paymentDeadline: later });
    expect(order.isPastPaymentDeadline(t0)).toBe(false);
    expect(order.isPastPaymentDeadline(later)).toBe(true);
    expect(orderIn("PAID", { paymentDeadline: later }).isPastPaymentDeadline(later)).toBe(false);
    expect(orderIn("COMPLETED").isFinal).toBe(true);
    expect(orderIn("CANCELLED").isFinal).toBe(true);
    expect(orderIn("READY").isFinal).toBe(false);
  });
});
