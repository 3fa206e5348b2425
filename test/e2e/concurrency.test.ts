import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSystem } from "@oms/all-in-one";
import { demoDishes, key, rpc, stockOf, startSystem } from "./support.js";

describe("many customers, the last units", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.close());

  it("sells exactly the units there are: the rest get FAILED_PRECONDITION, stock ends at zero", async () => {
    const item = demoDishes[11]!; // Truffle Fries: 5 in stock
    const units = (await stockOf(system, item.id)).available;
    expect(units).toBe(5);
    const attempts = 40;
    const results = await Promise.all(
      Array.from({ length: attempts }, (_, index) =>
        rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", {
          customerId: `customer-${index}`,
          idempotencyKey: key("rush"),
          lines: [{ itemId: item.id, quantity: 1 }],
        }),
      ),
    );
    const succeeded = results.filter((result) => result.status === 200);
    const refused = results.filter((result) => result.status !== 200);
    expect(succeeded).toHaveLength(units);
    expect(refused).toHaveLength(attempts - units);
    for (const result of refused) {
      expect(result.body.code).toBe("failed_precondition");
      expect(result.body.message).toContain(item.id);
    }
    expect(await stockOf(system, item.id)).toEqual({ available: 0, reserved: units });
    // Refused orders do not exist: only the successful ones are listed.
    const listed = await rpc(system.services.order.url, "oms.order.v1.OrderService/ListOrders", { pageSize: 100 });
    const forItem = listed.body.orders.filter((order: any) => order.lines[0].itemId === item.id);
    expect(forItem).toHaveLength(units);
  });
});

describe("idempotent CreateOrder", () => {
  let system: RunningSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.close());

  it("returns the same order for the same key, sequentially and concurrently", async () => {
    const item = demoDishes[3]!;
    const before = await stockOf(system, item.id);
    const request = { customerId: "dave", idempotencyKey: key("same"), lines: [{ itemId: item.id, quantity: 2 }] };
    const first = await rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", request);
    const retries = await Promise.all(
      Array.from({ length: 5 }, () => rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", request)),
    );
    for (const retry of retries) expect(retry.body.order.id).toBe(first.body.order.id);
    const listed = await rpc(system.services.order.url, "oms.order.v1.OrderService/ListOrders", { customerId: "dave" });
    expect(listed.body.orders).toHaveLength(1);
    expect((await stockOf(system, item.id)).available).toBe(before.available - 2);

    const racing = { customerId: "erin", idempotencyKey: key("race"), lines: [{ itemId: item.id, quantity: 1 }] };
    const raced = await Promise.all(
      Array.from({ length: 8 }, () => rpc(system.services.order.url, "oms.order.v1.OrderService/CreateOrder", racing)),
    );
    expect(new Set(raced.map((result) => result.body.order.id)).size).toBe(1);
    // The losers released their reservations before answering: exactly one unit more is held.
    expect((await stockOf(system, item.id)).available).toBe(before.available - 3);
  });
});
