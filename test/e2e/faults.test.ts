import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { as, demoDishes, key, orderInStatus, rpc, startSystem, tokens } from "./support.js";

const setFaults = "oms.admin.v1.FaultService/SetFaults";
const createOrder = "oms.order.v1.OrderService/CreateOrder";

/** Faults switched on by environment and by staff at run time, as a demo or a chaos run would. */
describe("injected faults", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    // Every payment declined from the start; the simulated provider pays by itself, so the decline decides.
    system = await startSystem({ FAULT_PAYMENT_DECLINE_RATE: "1", PAYMENT_AUTO_PAY_AFTER: "10ms" });
  });
  afterAll(() => system?.close());

  const order = () => rpc(system.services.order.url, createOrder, { idempotencyKey: key("fault"), lines: [{ itemId: demoDishes[5]!.id, quantity: 1 }] }, as(tokens.alice));

  it("declines payments at FAULT_PAYMENT_DECLINE_RATE: the order is cancelled with the issuer's reason", async () => {
    const created = await order();
    const cancelled = await orderInStatus(system, created.body.order.id, "CANCELLED");
    expect(cancelled.cancelReason).toMatch(/card declined/);
  });

  it("lets staff change faults at run time: failing stock makes CreateOrder UNAVAILABLE, and nothing is held", async () => {
    const on = await rpc(system.services.stock.url, setFaults, { faults: { stockFailureRate: 1, paymentDeclineRate: 0 } });
    expect(on.body.faults).toMatchObject({ stockFailureRate: 1, paymentDeclineRate: 0 });
    const refused = await order();
    expect(refused.body.code).toBe("unavailable");
    await rpc(system.services.stock.url, setFaults, { faults: { stockFailureRate: 0 } });
    const accepted = await order();
    expect(accepted.status).toBe(200);
    await orderInStatus(system, accepted.body.order.id, "READY");
  });

  it("keeps an order flowing while a third of all publishes fail: the outbox publishes them on a later pass", async () => {
    await rpc(system.services.order.url, setFaults, { faults: { publishFailureRate: 0.3 } });
    const created = await order();
    await orderInStatus(system, created.body.order.id, "READY");
    await rpc(system.services.order.url, setFaults, { faults: { publishFailureRate: 0 } });
  });

  it("refuses bad values naming the field, and is staff's alone", async () => {
    const bad = await rpc(system.services.order.url, setFaults, { faults: { stockFailureRate: 1.5 } });
    expect(bad.body).toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/faults\.stock_failure_rate/) });
    const customer = await rpc(system.services.order.url, setFaults, { faults: { stockFailureRate: 0 } }, as(tokens.alice));
    expect(customer.body.code).toBe("permission_denied");
    const read = await rpc(system.services.kitchen.url, "oms.admin.v1.FaultService/GetFaults", {});
    expect(read.body.faults).toMatchObject({ paymentDeclineRate: 0, stockFailureRate: 0, publishFailureRate: 0 });
  });
});
