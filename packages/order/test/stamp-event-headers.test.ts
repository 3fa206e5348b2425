import { describe, expect, it } from "vitest";
import { MemoryOrderRepository } from "../src/adapters/memory-order-repository.js";
import { StampingEventHeaders } from "../src/app/stamp-event-headers.js";
import { newOrder, t0 } from "./support/orders.js";

describe("StampingEventHeaders", () => {
  it("stamps each event with the headers current when it was raised, and only those", async () => {
    const inner = new MemoryOrderRepository();
    let traceparent = "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1111111111111111-01";
    const repository = new StampingEventHeaders(inner, () => ({ traceparent }));
    const order = newOrder();
    await repository.create(order);
    traceparent = "00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-2222222222222222-01";
    await repository.update(order.id, (stored) => stored.cancel("changed my mind", t0));
    const [pending] = await inner.pendingOutbox(10);
    expect(pending?.events.map((event) => [event.type, event.headers.traceparent])).toEqual([
      ["order.created", "00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-1111111111111111-01"],
      ["order.cancelled", "00-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-2222222222222222-01"],
    ]);
    expect((await repository.get(order.id))?.status).toBe("CANCELLED");
  });
});
