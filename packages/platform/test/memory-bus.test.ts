import { afterEach, describe, expect, it, vi } from "vitest";
import type { Delivery, EventEnvelope } from "../src/events/event-bus.js";
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
    await expect(bus.subscribe({ queue: "q", types: ["x"], prefetch: 1.5, handler: async () => {} })).rejects.toThrow(
      "subscribe: prefetch must be a positive integer, got 1.5",
    );
    await bus.subscribe({ queue: "q", types: ["x"], prefetch: 1, handler: async () => {} });
    await expect(bus.subscribe({ queue: "", types: ["x"], handler: async () => {} })).rejects.toThrow(/queue/);
    await bus.close();
  });
});

describe("MemoryEventBus deliveries", () => {
  const event = (type: string, n: number): EventEnvelope => ({ id: `e${n}`, type, time: new Date(), body: Uint8Array.from([n, 2, 3]), headers: { n: String(n) } });

  it("deals one queue's events to its consumers in turn, not all to the first with room", async () => {
    const bus = createTestBus();
    const seen: Record<string, string[]> = { first: [], second: [], third: [] };
    for (const name of ["first", "second", "third"]) {
      await bus.subscribe({ queue: "kitchen", types: ["order.paid"], handler: async (delivery) => void seen[name]!.push(delivery.id) });
    }
    for (let n = 0; n < 7; n++) await bus.publish(event("order.paid", n));
    await waitFor(() => Object.values(seen).flat().length === 7);
    expect(seen).toEqual({ first: ["e0", "e3", "e6"], second: ["e1", "e4"], third: ["e2", "e5"] });
    await bus.close();
  });

  it("knows no dead letters of a queue nobody declared, and replays none", async () => {
    const bus = createTestBus();
    expect(await bus.deadLetters("nobody")).toEqual([]);
    expect(await bus.replayDeadLetters("nobody")).toBe(0);
    await bus.close();
    await expect(bus.replayDeadLetters("nobody")).rejects.toThrow(/closed/);
  });

  it("records what was thrown as the dead letter's error: a message, else the error's name, else the value", async () => {
    const bus = createTestBus({ maxAttempts: 1, delaysMs: [] });
    const thrown: Record<string, unknown> = { message: new Error("cannot handle"), name: new TypeError(), value: "plain text" };
    const handler = async (delivery: Delivery) => {
      throw thrown[delivery.headers.n!];
    };
    await bus.subscribe({ queue: "q", types: ["order.paid"], handler });
    for (const n of Object.keys(thrown)) await bus.publish({ ...event("order.paid", 1), id: n, headers: { n } });
    const letters = await waitFor(async () => ((await bus.deadLetters("q")).length === 3 ? bus.deadLetters("q") : undefined));
    expect(Object.fromEntries(letters.map((letter) => [letter.id, letter.error]))).toEqual({ message: "cannot handle", name: "TypeError", value: "plain text" });
    // A reader changing what it was given changes nothing kept.
    letters[0]!.headers.n = "changed";
    expect((await bus.deadLetters("q"))[0]!.headers).toEqual({ n: "message" });
    await bus.close();
  });

  it("remembers which consumer it skipped for being full, so the next event goes on from there", async () => {
    const bus = createTestBus();
    const seen: Record<string, string[]> = { full: [], second: [], third: [] };
    const gate = latch();
    const consumer = (name: string) => async (delivery: Delivery) => {
      seen[name]!.push(delivery.id);
      if (name === "full") await gate.promise;
    };
    await bus.subscribe({ queue: "kitchen", types: ["order.paid"], handler: consumer("full"), prefetch: 1 });
    for (const name of ["second", "third"]) await bus.subscribe({ queue: "kitchen", types: ["order.paid"], handler: consumer(name) });
    for (let n = 0; n < 5; n++) await bus.publish(event("order.paid", n));
    await waitFor(() => Object.values(seen).flat().length === 5);
    expect(seen).toEqual({ full: ["e0"], second: ["e1", "e3"], third: ["e2", "e4"] });
    gate.open();
    await bus.close();
  });

  it("delivers an event published while its queue is idle, and hands waiting events to a consumer that joins", async () => {
    const bus = createTestBus();
    const gate = latch();
    const busy: string[] = [];
    const joined: string[] = [];
    await bus.subscribe({ queue: "kitchen", types: ["order.paid"], prefetch: 1, handler: async (delivery) => {
      busy.push(delivery.id);
      if (delivery.id !== "e0") await gate.promise;
    } });
    await bus.publish(event("order.paid", 0));
    await waitFor(() => busy.length === 1);
    // Nothing in flight, nothing ready: only the publish itself can start this delivery.
    await bus.publish(event("order.paid", 1));
    await waitFor(() => busy.length === 2);
    // The only consumer is full: this one waits until another consumer joins.
    await bus.publish(event("order.paid", 2));
    await new Promise(setImmediate);
    expect(await bus.queueDepth("kitchen")).toEqual({ ready: 1, deadLettered: 0 });
    await bus.subscribe({ queue: "kitchen", types: ["order.paid"], handler: async (delivery) => void joined.push(delivery.id) });
    await waitFor(() => joined.length === 1);
    expect([busy, joined]).toEqual([["e0", "e1"], ["e2"]]);
    gate.open();
    await bus.close();
  });

  it("gives each queue and each attempt a body and headers of its own", async () => {
    const bus = createTestBus();
    const seen: Array<{ queue: string; attempt: number; body: number[]; headers: Record<string, string> }> = [];
    const record = (delivery: Delivery) => seen.push({ queue: delivery.queue, attempt: delivery.attempt, body: [...delivery.body], headers: { ...delivery.headers } });
    // The first queue's handler scribbles over what it got, then fails once, so its event is delivered again.
    await bus.subscribe({
      queue: "scribbler",
      types: ["order.paid"],
      handler: async (delivery) => {
        record(delivery);
        delivery.body.fill(0);
        delivery.headers.n = "changed";
        if (delivery.attempt === 1) throw new Error("try again");
      },
    });
    await bus.subscribe({ queue: "reader", types: ["order.paid"], handler: async (delivery) => void record(delivery) });
    const published = event("order.paid", 7);
    await bus.publish(published);
    // The publisher reusing its buffer after publish changes nothing delivered either.
    published.body.fill(9);
    published.headers.n = "reused";

    await waitFor(() => seen.length === 3);
    const original = { body: [7, 2, 3], headers: { n: "7" } };
    expect(seen.sort((a, b) => a.queue.localeCompare(b.queue) || a.attempt - b.attempt)).toEqual([
      { queue: "reader", attempt: 1, ...original },
      { queue: "scribbler", attempt: 1, ...original },
      { queue: "scribbler", attempt: 2, ...original },
    ]);
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

describe("MemoryEventBus retries and close", () => {
  afterEach(() => void vi.useRealTimers());
  const sent: EventEnvelope = { id: "e1", type: "order.paid", time: new Date(), body: new Uint8Array(), headers: {} };

  it("says how it retries", async () => {
    const retry = { maxAttempts: 2, delaysMs: [5] };
    const bus = createTestBus(retry);
    expect(bus.retryPolicy).toBe(retry);
    await bus.close();
  });

  it("cancels a pending retry on close", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const bus = createTestBus({ maxAttempts: 3, delaysMs: [60_000] });
    const failed = latch();
    await bus.subscribe({ queue: "q", types: ["order.paid"], handler: async () => {
      failed.open();
      throw new Error("not yet");
    } });
    await bus.publish(sent);
    await failed.promise;
    // The retry is scheduled once the failure is seen, a few turns after the handler threw.
    for (let turn = 0; turn < 10 && vi.getTimerCount() === 0; turn++) await new Promise(setImmediate);
    expect(vi.getTimerCount()).toBe(1);
    await bus.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("schedules no retry for a handler that fails after close began", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const bus = createTestBus({ maxAttempts: 3, delaysMs: [60_000] });
    const started = latch();
    const gate = latch();
    await bus.subscribe({ queue: "q", types: ["order.paid"], handler: async () => {
      started.open();
      await gate.promise;
      throw new Error("interrupted by shutdown");
    } });
    await bus.publish(sent);
    await started.promise;
    const closing = bus.close();
    gate.open();
    await closing;
    expect(vi.getTimerCount()).toBe(0);
    expect(await bus.queueDepth("q")).toEqual({ ready: 0, deadLettered: 0 });
  });
});

/** A latch a test opens by hand: `promise` settles once `open()` is called. */
function latch(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
