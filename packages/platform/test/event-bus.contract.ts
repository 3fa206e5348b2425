import { afterEach, describe, expect, it } from "vitest";
import type { Delivery, EventBus, EventEnvelope, EventHandler, RetryPolicy } from "../src/events/event-bus.js";
import type { EventOf } from "../src/events/catalog.js";
import { consume, decode, envelope } from "../src/events/typed-events.js";
import { newId } from "../src/ids.js";
import { waitFor } from "../src/testing/index.js";
import { UnavailableError } from "../src/errors/index.js";

/**
 * The retry policy every adapter under this suite must be built with: three
 * attempts, short growing delays. The suite's expectations depend on it.
 */
export const contractRetryPolicy: RetryPolicy = { maxAttempts: 3, delaysMs: [60, 120] };

export type MakeBus = () => Promise<{ bus: EventBus; cleanup(): Promise<void> }>;

/**
 * The behaviour every EventBus adapter shares, run against each one (memory,
 * RabbitMQ) so they cannot drift apart. `makeBus` returns a bus built with
 * `contractRetryPolicy`; buses may share a broker: every test uses queue
 * names and event types of its own.
 */
export function describeEventBusContract(name: string, makeBus: MakeBus): void {
  describe(`EventBus contract: ${name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    async function open(): Promise<EventBus> {
      const made = await makeBus();
      cleanups.push(made.cleanup);
      return made.bus;
    }
    /** Names of this test's own, so tests sharing a broker never see each other's events. */
    const unique = (label: string) => `t${newId().toLowerCase()}.${label}`;

    it("delivers a copy to every queue bound to the type and none to the others", async () => {
      const bus = await open();
      const created = unique("created");
      const paid = unique("paid");
      const seen = { a: recorder(), b: recorder(), c: recorder() };
      await bus.subscribe({ queue: unique("a"), types: [created], handler: seen.a.handler });
      await bus.subscribe({ queue: unique("b"), types: [created, paid], handler: seen.b.handler });
      await bus.subscribe({ queue: unique("c"), types: [paid], handler: seen.c.handler });

      const first = event(created);
      const marker = event(paid);
      await bus.publish(first);
      await bus.publish(marker);
      await waitFor(() => seen.a.ids().length === 1 && seen.b.ids().length === 2 && seen.c.ids().length === 1);
      expect(seen.a.ids()).toEqual([first.id]);
      expect(seen.b.ids().sort()).toEqual([first.id, marker.id].sort());
      // The marker was routed after `first`: had `first` reached c, c would have seen it too.
      expect(seen.c.ids()).toEqual([marker.id]);
    });

    it("does not deliver to a queue events published before it subscribed", async () => {
      const bus = await open();
      const type = unique("created");
      const early = event(type);
      await bus.publish(early);
      const seen = recorder();
      await bus.subscribe({ queue: unique("late"), types: [type], handler: seen.handler });
      const later = event(type);
      await bus.publish(later);
      await waitFor(() => seen.ids().includes(later.id));
      expect(seen.ids()).toEqual([later.id]);
    });

    it("never runs a handler inside publish", async () => {
      const bus = await open();
      const type = unique("created");
      let publishing = false;
      const seenWhilePublishing: boolean[] = [];
      await bus.subscribe({ queue: unique("q"), types: [type], handler: async () => void seenWhilePublishing.push(publishing) });
      publishing = true;
      const published = bus.publish(event(type));
      publishing = false;
      await published;
      await waitFor(() => seenWhilePublishing.length === 1);
      expect(seenWhilePublishing).toEqual([false]);
    });

    it("shares one queue's events between its competing consumers, each event once", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("shared");
      const first = recorder(5);
      const second = recorder(5);
      await bus.subscribe({ queue, types: [type], handler: first.handler, prefetch: 2 });
      await bus.subscribe({ queue, types: [type], handler: second.handler, prefetch: 2 });
      const events = Array.from({ length: 20 }, () => event(type));
      for (const each of events) await bus.publish(each);
      await waitFor(() => first.ids().length + second.ids().length === events.length);
      expect([...first.ids(), ...second.ids()].sort()).toEqual(events.map((each) => each.id).sort());
      expect(first.ids().length).toBeGreaterThan(0);
      expect(second.ids().length).toBeGreaterThan(0);
    });

    it("carries id, type, time, body and headers unchanged, with attempt 1 and the queue name", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("q");
      const seen = recorder();
      await bus.subscribe({ queue, types: [type], handler: seen.handler });
      const sent: EventEnvelope = {
        id: newId(),
        type,
        time: new Date(1_700_000_000_123),
        body: Uint8Array.from([0, 1, 2, 254, 255, 0]),
        headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", tracestate: "oms=1", "x-custom": "ünïcode" },
      };
      await bus.publish(sent);
      const [delivery] = await waitFor(() => (seen.deliveries.length > 0 ? seen.deliveries : undefined));
      expect(delivery).toEqual({ ...sent, attempt: 1, queue });
      expect(delivery!.time).toBeInstanceOf(Date);
      expect(delivery!.body).toBeInstanceOf(Uint8Array);
    });

    it("keeps events published while the consumer is busy, and never exceeds prefetch, counting those waiting as the queue's depth", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("q");
      const gate = deferred();
      let running = 0;
      let most = 0;
      const done: string[] = [];
      await bus.subscribe({
        queue,
        types: [type],
        prefetch: 2,
        handler: async (delivery) => {
          most = Math.max(most, ++running);
          await gate.promise;
          running--;
          done.push(delivery.id);
        },
      });
      const events = Array.from({ length: 6 }, () => event(type));
      for (const each of events) await bus.publish(each);
      await waitFor(() => running === 2);
      await waitFor(async () => (await bus.queueDepth(queue)).ready === events.length - 2);
      expect(await bus.queueDepth(unique("never-declared"))).toEqual({ ready: 0, deadLettered: 0 });
      gate.resolve();
      await waitFor(() => done.length === events.length);
      expect(done.sort()).toEqual(events.map((each) => each.id).sort());
      expect(most).toBe(2);
    });

    it("retries a failing handler with growing attempt numbers, no sooner than the delay, until it succeeds", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("q");
      const attempts: Array<{ attempt: number; at: number }> = [];
      let handled = false;
      await bus.subscribe({
        queue,
        types: [type],
        handler: async (delivery) => {
          attempts.push({ attempt: delivery.attempt, at: Date.now() });
          if (delivery.attempt < 3) throw new Error(`not yet (${delivery.attempt})`);
          handled = true;
        },
      });
      await bus.publish(event(type));
      await waitFor(() => handled);
      expect(attempts.map((each) => each.attempt)).toEqual([1, 2, 3]);
      // Lower bounds only: a slow machine may wait longer, never shorter.
      const slack = 10;
      expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(contractRetryPolicy.delaysMs[0]! - slack);
      expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(contractRetryPolicy.delaysMs[1]! - slack);
      expect(await bus.deadLetters(queue)).toEqual([]);
    });

    it("dead-letters an event after the last attempt, with the last error's text", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("q");
      const attempts: number[] = [];
      await bus.subscribe({
        queue,
        types: [type],
        handler: async (delivery) => {
          attempts.push(delivery.attempt);
          throw new Error(`cannot handle attempt ${delivery.attempt}`);
        },
      });
      const sent = event(type, { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" });
      await bus.publish(sent);
      const [letter] = await waitFor(async () => {
        const letters = await bus.deadLetters(queue);
        return letters.length > 0 ? letters : undefined;
      });
      expect(letter).toEqual({ ...sent, queue, attempts: 3, error: "cannot handle attempt 3", deadTime: expect.any(Date) });
      expect(attempts).toEqual([1, 2, 3]);
      // Reading dead letters does not consume them.
      expect((await bus.deadLetters(queue)).map((each) => each.id)).toEqual([sent.id]);
      expect(await bus.queueDepth(queue)).toEqual({ ready: 0, deadLettered: 1 });
    });

    it("never dead-letters an event whose handler only said 'not now' (a dependency down): it retries until the dependency is back", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("q");
      const attempts: number[] = [];
      await bus.subscribe({
        queue,
        types: [type],
        handler: async (delivery) => {
          attempts.push(delivery.attempt);
          // Down for twice the attempts a poison message gets, then back.
          if (delivery.attempt <= 6) throw new UnavailableError("database restarting");
        },
      });
      await bus.publish(event(type));
      await waitFor(() => attempts.length === 7, { timeoutMs: 20_000 });
      expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(await bus.deadLetters(queue)).toEqual([]);
    });

    it("replays dead letters, all or by id, from attempt 1", async () => {
      const bus = await open();
      const type = unique("created");
      const queue = unique("q");
      let failing = true;
      const handled: Delivery[] = [];
      await bus.subscribe({
        queue,
        types: [type],
        handler: async (delivery) => {
          if (failing) throw new Error("down");
          handled.push(delivery);
        },
      });
      const [first, second, third] = [event(type), event(type), event(type)];
      for (const each of [first, second, third]) await bus.publish(each);
      await waitFor(async () => (await bus.deadLetters(queue)).length === 3);
      expect((await bus.deadLetters(queue)).map((each) => each.id)).toEqual([first.id, second.id, third.id]);

      failing = false;
      expect(await bus.replayDeadLetters(queue, [second.id, "not-a-dead-letter"])).toBe(1);
      await waitFor(() => handled.length === 1);
      expect(handled[0]).toEqual({ ...second, attempt: 1, queue });
      expect((await bus.deadLetters(queue)).map((each) => each.id)).toEqual([first.id, third.id]);

      expect(await bus.replayDeadLetters(queue)).toBe(2);
      await waitFor(() => handled.length === 3);
      expect(handled.map((each) => each.id).sort()).toEqual([first.id, second.id, third.id].sort());
      expect(handled.every((each) => each.attempt === 1)).toBe(true);
      expect(await bus.deadLetters(queue)).toEqual([]);
      expect(await bus.replayDeadLetters(queue)).toBe(0);
    });

    it("lists dead letters a page at a time, oldest first, and finds its place again after a replay moved them", async () => {
      const bus = await open();
      const type = unique("paged");
      const queue = unique("q");
      let failing = true;
      const handled: string[] = [];
      await bus.subscribe({
        queue,
        types: [type],
        handler: async (delivery) => {
          if (failing) throw new Error("down");
          handled.push(delivery.id);
        },
      });
      for (let index = 0; index < 5; index++) await bus.publish(event(type));
      await waitFor(async () => (await bus.deadLetters(queue)).length === 5);
      const ids = (await bus.deadLetters(queue, { limit: 100 })).map((each) => each.id);
      const page = async (limit: number, after?: { offset: number; lastId: string }) => (await bus.deadLetters(queue, { limit, after })).map((each) => each.id);

      expect(await page(2)).toEqual(ids.slice(0, 2));
      expect(await page(2, { offset: 2, lastId: ids[1]! })).toEqual(ids.slice(2, 4));
      expect(await page(2, { offset: 4, lastId: ids[3]! })).toEqual(ids.slice(4));
      expect(await page(2, { offset: 5, lastId: ids[4]! })).toEqual([]);
      // Reading took nothing away.
      expect(await page(100)).toEqual(ids);

      // The first letter replayed: the ones behind it move forward, and the page after the second still starts after it.
      failing = false;
      expect(await bus.replayDeadLetters(queue, [ids[0]!])).toBe(1);
      await waitFor(() => handled.length === 1);
      expect(await page(2, { offset: 2, lastId: ids[1]! })).toEqual(ids.slice(2, 4));
      expect(await page(100)).toEqual(ids.slice(1));
    });

    it("delivers a second publish of the same event id again: deduplication is the consumer's job", async () => {
      const bus = await open();
      const type = unique("created");
      const seen = recorder();
      await bus.subscribe({ queue: unique("q"), types: [type], handler: seen.handler });
      const sent = event(type);
      await bus.publish(sent);
      await bus.publish(sent);
      await waitFor(() => seen.ids().length === 2);
      expect(seen.ids()).toEqual([sent.id, sent.id]);
    });

    it("round-trips a catalog event through envelope, consume and decode", async () => {
      const bus = await open();
      const queue = unique("typed");
      const received: Array<{ event: EventOf<"order.paid">; delivery: Delivery }> = [];
      await consume(bus, queue, { "order.paid": async (paid, delivery) => void received.push({ event: paid, delivery }) });
      const sent = envelope("order.paid", { orderId: `o-${newId()}`, total: { amountMinor: 1250n, currencyCode: "EUR" } }, { "x-origin": "test" });
      await bus.publish(sent);
      const { event: paid, delivery } = await waitFor(() => received[0]);
      expect(paid.orderId).toBe(decode("order.paid", sent).orderId);
      expect(paid.total).toMatchObject({ amountMinor: 1250n, currencyCode: "EUR" });
      expect(delivery.id).toBe(sent.id);
      expect(delivery.headers).toEqual(sent.headers);
    });

    it("answers ping, and close waits for the handler in flight", async () => {
      const bus = await open();
      await bus.ping();
      const type = unique("created");
      const gate = deferred();
      let finished = false;
      await bus.subscribe({
        queue: unique("q"),
        types: [type],
        handler: async () => {
          await gate.promise;
          finished = true;
        },
      });
      await bus.publish(event(type));
      await waitFor(() => gate.waiting > 0);
      let closed = false;
      const closing = bus.close().then(() => (closed = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(false);
      gate.resolve();
      await closing;
      expect(finished).toBe(true);
    });
  });
}

/** An event of `type` with a fresh id and some bytes. */
function event(type: string, headers: Record<string, string> = {}): EventEnvelope {
  return { id: newId(), type, time: new Date(), body: Uint8Array.from([1, 2, 3]), headers };
}

/** Records deliveries; optionally holds each for `holdMs` so consumers overlap. */
function recorder(holdMs = 0): { deliveries: Delivery[]; ids(): string[]; handler: EventHandler } {
  const deliveries: Delivery[] = [];
  return {
    deliveries,
    ids: () => deliveries.map((delivery) => delivery.id),
    handler: async (delivery) => {
      if (holdMs) await new Promise((resolve) => setTimeout(resolve, holdMs));
      deliveries.push(delivery);
    },
  };
}

interface Gate {
  promise: Promise<void>;
  resolve(): void;
  waiting: number;
}

/** A promise to hold handlers on; counts how many are waiting on it. */
function deferred(): Gate {
  let resolve!: () => void;
  const inner = new Promise<void>((done) => (resolve = done));
  const gate: Gate = {
    waiting: 0,
    resolve,
    get promise() {
      gate.waiting++;
      return inner;
    },
  };
  return gate;
}
