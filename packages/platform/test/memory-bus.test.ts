import { describe, expect, it } from "vitest";
import { MemoryEventBus } from "../src/events/memory-bus.js";
import { createTestBus, waitFor } from "../src/testing/index.js";
import { contractRetryPolicy, describeEventBusContract } from "./event-bus.contract.js";

describeEventBusContract("MemoryEventBus", async () => {
  const bus = new MemoryEventBus({ retry: contractRetryPolicy });
  return { bus, cleanup: () => bus.close() };
});

describe("MemoryEventBus after close", () => {
  it("refuses to publish, subscribe and ping, and closing twice is fine", async () => {
    const bus = createTestBus();
    await bus.close();
    await expect(bus.publish({ id: "1", type: "x", time: new Date(), body: new Uint8Array(), headers: {} })).rejects.toThrow(/closed/);
    await expect(bus.subscribe({ queue: "q", types: ["x"], handler: async () => {} })).rejects.toThrow(/closed/);
    await expect(bus.ping()).rejects.toThrow(/closed/);
    await bus.close();
  });

  it("rejects a bad prefetch and an empty queue name", async () => {
    const bus = createTestBus();
    await expect(bus.subscribe({ queue: "q", types: ["x"], prefetch: 0, handler: async () => {} })).rejects.toThrow(/prefetch/);
    await expect(bus.subscribe({ queue: "", types: ["x"], handler: async () => {} })).rejects.toThrow(/queue/);
    await bus.close();
  });
});

describe("waitFor", () => {
  it("resolves with the first value that is not undefined, null or false", async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), { intervalMs: 1 });
    expect(value).toEqual({ calls: 3 });
  });

  it("treats a throwing check as not yet, and names what it waited for on timeout", async () => {
    await expect(
      waitFor(() => expect(1).toBe(2), { timeoutMs: 50, intervalMs: 5, message: "one to be two" }),
    ).rejects.toThrow(/one to be two did not hold within 50 ms: .*expected 1 to be 2/);
  });
});
