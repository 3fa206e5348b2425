import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { isTransientFailure } from "@oms/platform/events";
import { RetryLaterError } from "../src/app/apply-event.js";
import type { OrderStatus } from "../src/domain/order.js";
import { dishes, makeApp, outboxTypes } from "./support/fakes.js";
import { moveTo } from "./support/orders.js";

async function setup(status: OrderStatus = "PENDING") {
  const context = makeApp();
  const order = await context.app.createOrder.execute({ customerId: "alice", idempotencyKey: newId(), lines: [{ itemId: dishes.margherita.id, quantity: 2 }] });
  await context.repository.update(order.id, (stored) => moveTo(stored, status));
  const before = await context.repository.get(order.id);
  return { ...context, orderId: order.id, before: before! };
}

describe("payment.link_created", () => {
  it("stores the link: PENDING -> AWAITING_PAYMENT", async () => {
    const { app, repository, orderId } = await setup();
    expect(await app.recordPaymentLink.execute({ orderId, checkoutUrl: "https://pay.example/abc" })).toBe("applied");
    const order = await repository.get(orderId);
    expect(order?.status).toBe("AWAITING_PAYMENT");
    expect(order?.paymentUrl).toBe("https://pay.example/abc");
  });

  for (const status of ["AWAITING_PAYMENT", "PAID", "CANCELLED", "COMPLETED"] as const) {
    it(`changes nothing when late or repeated (${status})`, async () => {
      const { app, repository, orderId, before } = await setup(status);
      expect(await app.recordPaymentLink.execute({ orderId, checkoutUrl: "https://pay.example/other" })).toBe("unchanged");
      expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
    });
  }

  it("reports an unknown order", async () => {
    const { app } = await setup();
    expect(await app.recordPaymentLink.execute({ orderId: newId(), checkoutUrl: "https://pay.example/abc" })).toBe("unknown-order");
  });
});

describe("payment.succeeded", () => {
  it("marks the order PAID and raises order.paid with its lines and total", async () => {
    const { app, repository, orderId } = await setup("AWAITING_PAYMENT");
    expect(await app.recordPaymentSucceeded.execute({ orderId })).toBe("applied");
    const order = await repository.get(orderId);
    expect(order?.status).toBe("PAID");
    const paid = (await repository.pendingOutbox(10))[0]?.events.at(-1);
    expect(paid).toMatchObject({ type: "order.paid", orderId, lines: order?.lines, total: { currencyCode: "EUR", amountMinor: 1900 } });
  });

  it("asks for a retry while the link event is not applied yet (out of order), then applies", async () => {
    const { app, repository, orderId, before } = await setup("PENDING");
    await expect(app.recordPaymentSucceeded.execute({ orderId })).rejects.toBeInstanceOf(RetryLaterError);
    await expect(app.recordPaymentSucceeded.execute({ orderId })).rejects.toThrow(`order ${orderId} is PENDING`);
    expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
    await app.recordPaymentLink.execute({ orderId, checkoutUrl: "https://pay.example/abc" });
    expect(await app.recordPaymentSucceeded.execute({ orderId })).toBe("applied");
    expect((await repository.get(orderId))?.status).toBe("PAID");
  });

  for (const status of ["PAID", "PREPARING", "CANCELLED"] as const) {
    it(`changes nothing for a duplicate or a cancelled order (${status})`, async () => {
      const { app, repository, orderId, before } = await setup(status);
      expect(await app.recordPaymentSucceeded.execute({ orderId })).toBe("unchanged");
      expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
    });
  }
});

describe("payment.failed", () => {
  for (const status of ["PENDING", "AWAITING_PAYMENT"] as const) {
    it(`cancels an unpaid order (${status}) with the event's reason`, async () => {
      const { app, repository, orderId } = await setup(status);
      expect(await app.recordPaymentFailed.execute({ orderId, reason: "card declined" })).toBe("applied");
      const order = await repository.get(orderId);
      expect(order?.status).toBe("CANCELLED");
      expect(order?.cancelReason).toBe("card declined");
      expect((await outboxTypes(repository, orderId)).at(-1)).toBe("order.cancelled");
      expect(await app.recordPaymentFailed.execute({ orderId, reason: "card declined" })).toBe("unchanged");
    });
  }

  it("cancels with a reason of its own when the event gives none", async () => {
    const { app, repository, orderId } = await setup("AWAITING_PAYMENT");
    expect(await app.recordPaymentFailed.execute({ orderId, reason: "" })).toBe("applied");
    expect((await repository.get(orderId))?.cancelReason).toBe("payment failed");
  });

  it("changes nothing once paid", async () => {
    const { app, repository, orderId, before } = await setup("PAID");
    expect(await app.recordPaymentFailed.execute({ orderId, reason: "card declined" })).toBe("unchanged");
    expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
  });
});

describe("kitchen events", () => {
  it("moves PAID -> PREPARING -> READY, ignoring duplicates", async () => {
    const { app, repository, orderId } = await setup("PAID");
    expect(await app.recordTicketStarted.execute({ orderId })).toBe("applied");
    expect((await repository.get(orderId))?.status).toBe("PREPARING");
    expect(await app.recordTicketStarted.execute({ orderId })).toBe("unchanged");
    expect(await app.recordTicketReady.execute({ orderId })).toBe("applied");
    expect((await repository.get(orderId))?.status).toBe("READY");
    expect(await app.recordTicketReady.execute({ orderId })).toBe("unchanged");
    expect(await app.recordTicketStarted.execute({ orderId })).toBe("unchanged");
  });

  // An event ahead of the one it follows is redelivered later, never dropped: the order must still get there.
  for (const status of ["PENDING", "AWAITING_PAYMENT"] as const) {
    it(`asks for a retry of ticket_started while the order is ${status} (not paid yet), changing nothing`, async () => {
      const { app, repository, orderId, before } = await setup(status);
      const retry = app.recordTicketStarted.execute({ orderId });
      await expect(retry).rejects.toBeInstanceOf(RetryLaterError);
      await expect(retry).rejects.toThrow(`order ${orderId} is ${status}; kitchen.ticket_started waits for the payment`);
      expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
    });
  }

  for (const status of ["PENDING", "AWAITING_PAYMENT", "PAID"] as const) {
    it(`asks for a retry of ticket_ready while the order is ${status} (not started yet), changing nothing`, async () => {
      const { app, repository, orderId, before } = await setup(status);
      const retry = app.recordTicketReady.execute({ orderId });
      await expect(retry).rejects.toBeInstanceOf(RetryLaterError);
      await expect(retry).rejects.toThrow(`order ${orderId} is ${status}; kitchen.ticket_ready waits for kitchen.ticket_started`);
      expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
    });
  }

  it("treats waiting for an earlier event as transient, so the bus never dead-letters it for that", async () => {
    const { app, orderId } = await setup("PAID");
    expect(await app.recordTicketReady.execute({ orderId }).catch(isTransientFailure)).toBe(true);
    expect(await app.recordTicketStarted.execute({ orderId })).toBe("applied");
    expect(await app.recordTicketReady.execute({ orderId })).toBe("applied");
  });

  for (const status of ["CANCELLED", "COMPLETED"] as const) {
    it(`changes nothing for a ${status.toLowerCase()} order`, async () => {
      const { app, repository, orderId, before } = await setup(status);
      expect(await app.recordTicketStarted.execute({ orderId })).toBe("unchanged");
      expect(await app.recordTicketReady.execute({ orderId })).toBe("unchanged");
      expect((await repository.get(orderId))?.toSnapshot()).toEqual(before.toSnapshot());
    });
  }
});
