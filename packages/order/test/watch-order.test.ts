import { describe, expect, it } from "vitest";
import { dishes, makeApp } from "./support/fakes.js";
import { moveTo } from "./support/orders.js";

describe("WatchOrder", () => {
  it("sees changes stored by another instance through its periodic re-read", async () => {
    const { app, repository } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const seen: string[] = [];
    for await (const current of app.watchOrder.execute(order.id)) {
      seen.push(current.status);
      // Straight to the repository: the in-process feed never hears of it.
      if (current.status === "PENDING") await repository.update(order.id, (stored) => moveTo(stored, "AWAITING_PAYMENT"));
      if (current.status === "AWAITING_PAYMENT") await repository.update(order.id, (stored) => stored.cancel("gone", new Date()));
    }
    expect(seen).toEqual(["PENDING", "AWAITING_PAYMENT", "CANCELLED"]);
  });

  it("ends when its signal aborts", async () => {
    const { app } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const current of app.watchOrder.execute(order.id, controller.signal)) {
      seen.push(current.status);
      controller.abort();
    }
    expect(seen).toEqual(["PENDING"]);
  });

  it("yields the final state once and ends for an order already completed", async () => {
    const { app, repository } = makeApp();
    const order = await app.createOrder.execute({ customerId: "alice", idempotencyKey: "k", lines: [{ itemId: dishes.espresso.id, quantity: 1 }] });
    await repository.update(order.id, (stored) => moveTo(stored, "COMPLETED"));
    const seen: string[] = [];
    for await (const current of app.watchOrder.execute(order.id)) seen.push(current.status);
    expect(seen).toEqual(["COMPLETED"]);
  });
});
