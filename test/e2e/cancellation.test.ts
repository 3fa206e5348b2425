import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { demoDishes, eventually, key, orderInStatus, rpc, stockOf, startSystem } from "./support.js";

describe("cancellation and the payment deadline", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem({ PAYMENT_DEADLINE: "3s" });
  });
  afterAll(() => system?.close());

  const create = (itemId: string, quantity: number) =>
    rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
      customerId: "carol",
      idempotencyKey: key("cancel"),
      lines: [{ itemId, quantity }],
    });

  it("releases the reservation when the customer cancels before paying", async () => {
    const item = demoDishes[5]!;
    const before = await stockOf(system, item.id);
    const { body } = await create(item.id, 3);
    await orderInStatus(system, body.order.id, "AWAITING_PAYMENT");
    expect(await stockOf(system, item.id)).toEqual({ available: before.available - 3, reserved: before.reserved + 3 });

    const cancelled = await rpc(system.services.order.url, "oms.order.v1.OrderService/CancelOrder", { id: body.order.id, reason: "changed my mind" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.order.status).toBe("ORDER_STATUS_CANCELLED");
    await eventually(async () => ((await stockOf(system, item.id)).available === before.available ? true : undefined), 10_000, "stock released");
    expect(await stockOf(system, item.id)).toEqual(before);
    const payment = await eventually(async () => {
      const { body: found } = await rpc(system.services.payment.url, "oms.payment.v1.PaymentService/GetPayment", { orderId: body.order.id });
      return found.payment?.status === "PAYMENT_STATUS_CANCELLED" ? found.payment : undefined;
    }, 10_000, "checkout closed");
    expect(payment.status).toBe("PAYMENT_STATUS_CANCELLED");
  });

  it("cancels an unpaid order at its payment deadline and releases the stock", async () => {
    const item = demoDishes[6]!;
    const before = await stockOf(system, item.id);
    const { body } = await create(item.id, 2);
    const cancelled = await orderInStatus(system, body.order.id, "CANCELLED");
    expect(cancelled.cancelReason).toMatch(/deadline/);
    await eventually(async () => ((await stockOf(system, item.id)).available === before.available ? true : undefined), 10_000, "stock released");
    expect(await stockOf(system, item.id)).toEqual(before);
  });

  it("refuses to cancel a paid order with FAILED_PRECONDITION", async () => {
    const { body } = await create(demoDishes[7]!.id, 1);
    const awaiting = await orderInStatus(system, body.order.id, "AWAITING_PAYMENT");
    await fetch(`${awaiting.paymentUrl}/pay`, { method: "POST" });
    await orderInStatus(system, body.order.id, "READY");
    const refused = await rpc(system.services.order.url, "oms.order.v1.OrderService/CancelOrder", { id: body.order.id });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("failed_precondition");
    expect(refused.body.message).toMatch(/READY/);
  });
});
