import { context, propagation } from "@opentelemetry/api";
import { describe, expect, it, vi } from "vitest";
import type { EventBus, EventEnvelope } from "../src/events/event-bus.js";
import { MemoryEventBus } from "../src/events/memory-bus.js";
import { OutboxRelay, type OutboxStore } from "../src/events/outbox.js";
import { newId } from "../src/ids.js";
import { waitFor } from "../src/testing/index.js";
import { installPropagation, withOrderId } from "../src/telemetry/index.js";
import { orderIdIn } from "../src/telemetry/order-id.js";

/** Outboxes by aggregate id, in insertion order, as a document store keeps them. */
class MemoryOutboxStore implements OutboxStore {
  readonly outboxes = new Map<string, EventEnvelope[]>();
  marks = 0;

  add(aggregateId: string, ...events: EventEnvelope[]): void {
    this.outboxes.set(aggregateId, [...(this.outboxes.get(aggregateId) ?? []), ...events]);
  }

  async pendingOutbox(limit: number) {
    return [...this.outboxes]
      .filter(([, events]) => events.length > 0)
      .slice(0, limit)
      .map(([aggregateId, events]) => ({ aggregateId, events: [...events] }));
  }

  async markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    this.marks++;
    const left = (this.outboxes.get(aggregateId) ?? []).filter((event) => !eventIds.includes(event.id));
    if (left.length) this.outboxes.set(aggregateId, left);
    else this.outboxes.delete(aggregateId);
  }
}

/** Records what was published; `failNext` makes the next publishes reject, `gate` holds them. */
class RecordingBus extends MemoryEventBus implements EventBus {
  readonly published: EventEnvelope[] = [];
  failNext = 0;
  gate: Promise<void> | undefined;

  override async publish(event: EventEnvelope): Promise<void> {
    await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("broker unavailable");
    }
    this.published.push(event);
  }
}

function event(type = "order.created"): EventEnvelope {
  return { id: newId(), type, time: new Date(), body: new Uint8Array([1]), headers: {} };
}

describe("OutboxRelay", () => {
  it("publishes and clears each aggregate's events in the context they were created in, not the flusher's order", async () => {
    installPropagation();
    const seen: Array<[string, string | undefined]> = [];
    const store = new (class extends MemoryOutboxStore {
      override async pendingOutbox(limit: number) {
        seen.push(["read", orderIdIn(context.active())]);
        return super.pendingOutbox(limit);
      }
      override async markPublished(aggregateId: string, eventIds: readonly string[]) {
        seen.push([aggregateId, orderIdIn(context.active())]);
        return super.markPublished(aggregateId, eventIds);
      }
    })();
    const headersOf = (orderId: string) => {
      const headers: Record<string, string> = {};
      withOrderId(orderId, () => propagation.inject(context.active(), headers));
      return headers;
    };
    store.add("b", { ...event(), headers: headersOf("b") });
    await withOrderId("a", () => new OutboxRelay(store, new RecordingBus()).flush());
    expect(seen).toEqual([["read", undefined], ["b", "b"], ["read", undefined]]);
  });

  it("publishes every pending event in order and marks them published", async () => {
    const store = new MemoryOutboxStore();
    const bus = new RecordingBus();
    const [a1, a2, b1] = [event(), event("order.paid"), event()];
    store.add("a", a1, a2);
    store.add("b", b1);
    await new OutboxRelay(store, bus).flush();
    expect(bus.published.map((each) => each.id)).toEqual([a1.id, a2.id, b1.id]);
    expect(await store.pendingOutbox(10)).toEqual([]);
  });

  it("pages through more aggregates than one batch holds", async () => {
    const store = new MemoryOutboxStore();
    const bus = new RecordingBus();
    for (let index = 0; index < 250; index++) store.add(`agg-${index}`, event());
    await new OutboxRelay(store, bus).flush();
    expect(bus.published).toHaveLength(250);
    expect(store.outboxes.size).toBe(0);
  });

  it("leaves events of a failed publish for the next pass, and the failed flush still resolves", async () => {
    const store = new MemoryOutboxStore();
    const bus = new RecordingBus();
    const [a1, b1] = [event(), event()];
    store.add("a", a1);
    store.add("b", b1);
    bus.failNext = 1;
    const relay = new OutboxRelay(store, bus);
    await relay.flush();
    expect(bus.published).toEqual([]);
    expect((await store.pendingOutbox(10)).map((each) => each.aggregateId)).toEqual(["a", "b"]);

    await relay.flush();
    expect(bus.published.map((each) => each.id)).toEqual([a1.id, b1.id]);
    expect(store.outboxes.size).toBe(0);
  });

  it("publishes each event once when flushes overlap, and a flush during a pass picks up what was added", async () => {
    const store = new MemoryOutboxStore();
    const bus = new RecordingBus();
    const events = Array.from({ length: 5 }, () => event());
    events.forEach((each, index) => store.add(`agg-${index}`, each));
    let open!: () => void;
    bus.gate = new Promise<void>((resolve) => (open = resolve));
    const relay = new OutboxRelay(store, bus);
    const first = relay.flush();
    const late = event();
    store.add("late", late);
    const others = [relay.flush(), relay.flush(), relay.flush()];
    open();
    await Promise.all([first, ...others]);
    expect(bus.published.map((each) => each.id).sort()).toEqual([...events, late].map((each) => each.id).sort());
    expect(store.outboxes.size).toBe(0);
  });

  it("sweeps on a timer after start, and stop publishes what is left", async () => {
    const store = new MemoryOutboxStore();
    const bus = new RecordingBus();
    const relay = new OutboxRelay(store, bus, { sweepIntervalMs: 10 });
    bus.failNext = 1;
    const stuck = event();
    store.add("a", stuck);
    relay.start();
    // The first pass fails; the sweep retries without anyone calling flush.
    await waitFor(() => bus.published.some((each) => each.id === stuck.id));
    const last = event();
    store.add("b", last);
    await relay.stop();
    expect(bus.published.map((each) => each.id)).toEqual([stuck.id, last.id]);
  });

  it("retries a failed pass with backoff, without waiting for the sweep, and not after stop", async () => {
    vi.useFakeTimers();
    try {
      const store = new MemoryOutboxStore();
      const bus = new RecordingBus();
      const relay = new OutboxRelay(store, bus, { sweepIntervalMs: 3_600_000 });
      bus.failNext = 3;
      const stuck = event();
      store.add("a", stuck);
      relay.start();
      // Three failed passes, retried 200, 400 and 800 ms later: long before the hourly sweep.
      await vi.advanceTimersByTimeAsync(1_399);
      expect(bus.published).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(bus.published.map((each) => each.id)).toEqual([stuck.id]);
      bus.failNext = 1_000;
      store.add("b", event());
      await relay.stop();
      const left = bus.failNext;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(bus.failNext).toBe(left);
    } finally {
      vi.useRealTimers();
    }
  });
});
