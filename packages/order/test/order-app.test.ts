import { describe, expect, it } from "vitest";
import { MemoryOrderRepository } from "../src/adapters/memory-order-repository.js";
import { createOrderApp } from "../src/app/order-app.js";
import { dishes, FakeMenu, FakeStock } from "./support/fakes.js";

describe("createOrderApp", () => {
  it("reads the wall clock when given none", async () => {
    const app = createOrderApp({ repository: new MemoryOrderRepository(), menu: new FakeMenu(), stock: new FakeStock(), paymentDeadlineMs: 60_000 });
    const before = Date.now();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    expect(order.createTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(order.createTime.getTime()).toBeLessThanOrEqual(Date.now());
    expect(order.paymentDeadline.getTime() - order.createTime.getTime()).toBe(60_000);
  });
});
