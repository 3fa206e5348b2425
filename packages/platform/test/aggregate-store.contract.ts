import { describe, expect, it } from "vitest";
import type { AggregateRepository } from "../src/aggregate/index.js";
import type { OutboxSource } from "../src/events/index.js";
import { DuplicateTallyError, Tally, type TallyEvent, type TallyState } from "./support/tally.js";

/** A kit store (memory or MongoDB) of tallies, unique by key. */
export type TallyStore = AggregateRepository<Tally> & OutboxSource<TallyEvent>;

/** What `create` resolves to: undefined when stored, else the tally holding the key. */
const holderOf = (store: TallyStore, tally: Tally) =>
  store.create(tally).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof DuplicateTallyError) return error.existing;
      throw error;
    },
  );

/** The trace context the store reads (its `traceHeaders` option): set it before each call. */
export const trace = { current: {} as Record<string, string> };
const traceparent = (n: number) => ({ traceparent: `00-${String(n).repeat(32)}-${String(n).repeat(16)}-01` });
const at = (ms: number) => new Date(Date.UTC(2026, 10, 25) + ms);
const ids = (events: Array<{ id: string }>) => events.map((event) => event.id);
/** The state an aggregate holds (protected): to change it behind the aggregate's back. */
const stateOf = (tally: Tally) => (tally as unknown as { state: TallyState }).state;

/**
 * What every store of platform storage's aggregate kit does, whatever the
 * service: versioned closure updates, unique inserts, the outbox in the
 * aggregate, and the trace context events travel with. `makeStore` returns
 * an empty store.
 */
export function describeAggregateStoreContract(name: string, makeStore: () => Promise<TallyStore> | TallyStore): void {
  describe(`aggregate store contract: ${name}`, () => {
    it("stores an aggregate and gives back an equal copy, no storage fields in it", async () => {
      const store = await makeStore();
      trace.current = traceparent(1);
      const tally = Tally.open("a", at(0), 1);
      await store.create(tally);
      expect((await store.get(tally.id))?.toSnapshot()).toEqual(tally.toSnapshot());
      expect(await store.get("no-such")).toBeUndefined();
    });

    it("hands out aggregates that share nothing with what it keeps, however deep", async () => {
      const store = await makeStore();
      const tally = Tally.open("own", at(0), 1);
      await store.create(tally);
      // Changed outside update, down to an event's Date: none of it may reach the store.
      const loaded = (await store.get(tally.id))!;
      loaded.add(at(5));
      stateOf(loaded).outbox[0]!.time.setTime(0);
      const updated = (await store.update(tally.id, (current) => current.add(at(1))))!;
      updated.add(at(9));
      stateOf(updated).outbox[1]!.time.setTime(0);
      const stored = (await store.get(tally.id))!;
      expect(stored.count).toBe(2);
      expect(stored.outbox.map((event) => event.time)).toEqual([at(0), at(1)]);
    });

    it("refuses a taken key with the holder, and lets one of many concurrent creates win", async () => {
      const store = await makeStore();
      const first = Tally.open("shared");
      await store.create(first);
      expect((await holderOf(store, Tally.open("shared")))?.id).toBe(first.id);
      await expect(store.create(first)).rejects.toThrow();

      const racing = Array.from({ length: 6 }, () => Tally.open("race"));
      const holders = await Promise.all(racing.map((tally) => holderOf(store, tally)));
      const winners = racing.filter((_, index) => holders[index] === undefined);
      expect(winners).toHaveLength(1);
      expect(new Set(holders.filter((holder) => holder).map((holder) => holder!.id))).toEqual(new Set([winners[0]!.id]));
    });

    it("updates through a closure, saving only a change, and nothing when the closure throws", async () => {
      const store = await makeStore();
      const tally = Tally.open();
      await store.create(tally);
      expect((await store.update(tally.id, (current) => current.add(at(1))))?.version).toBe(2);
      expect((await store.update(tally.id, () => {}))?.version).toBe(2);
      await expect(store.update(tally.id, (current) => current.refuse())).rejects.toThrow("refused");
      expect((await store.get(tally.id))?.count).toBe(1);
      expect(await store.update("no-such", () => {})).toBeUndefined();
    });

    it("applies concurrent changes each once", async () => {
      const store = await makeStore();
      const tally = Tally.open();
      await store.create(tally);
      await Promise.all(Array.from({ length: 8 }, (_, index) => store.update(tally.id, (current) => current.add(at(index)))));
      const stored = await store.get(tally.id);
      expect([stored?.count, stored?.version, stored?.outbox.length]).toEqual([8, 9, 8]);
    });

    it("lists pending events oldest first event first, at most `limit`, and forgets those published", async () => {
      const store = await makeStore();
      const late = Tally.open("late", at(3), 1);
      const quiet = Tally.open("quiet");
      const early = Tally.open("early", at(1), 2);
      for (const tally of [late, quiet, early]) await store.create(tally);

      expect((await store.pendingOutbox(10)).map((pending) => pending.aggregateId)).toEqual([early.id, late.id]);
      expect((await store.pendingOutbox(1)).map((pending) => pending.aggregateId)).toEqual([early.id]);
      const [read] = await store.pendingOutbox(1);
      await store.update(early.id, (current) => current.add(at(4)));
      await store.markPublished(early.id, [...ids(read!.events), "unknown"]);
      const [left] = await store.pendingOutbox(10);
      expect([left?.aggregateId, left?.events.map((event) => event.count)]).toEqual([late.id, [1]]);
      expect((await store.get(early.id))?.outbox.map((event) => event.count)).toEqual([3]);
      await expect(store.markPublished("no-such", ["e1"])).resolves.toBeUndefined();
    });

    it("stamps each event with the trace of the work raising it, or else the trace its aggregate was created in", async () => {
      const store = await makeStore();
      trace.current = traceparent(1);
      const tally = Tally.open("traced", at(0), 1);
      await store.create(tally);
      trace.current = traceparent(2);
      await store.update(tally.id, (current) => current.add(at(1)));
      trace.current = {};
      await store.update(tally.id, (current) => current.add(at(2)));

      const [pending] = await store.pendingOutbox(10);
      expect(pending?.events.map((event) => [event.count, event.headers])).toEqual([
        [1, traceparent(1)],
        [2, traceparent(2)],
        [3, traceparent(1)],
      ]);
      expect((await store.get(tally.id))?.outbox.every((event) => !("headers" in event))).toBe(true);
    });

    it("stamps nothing when no work was traced", async () => {
      const store = await makeStore();
      trace.current = {};
      const tally = Tally.open("untraced", at(0), 1);
      await store.create(tally);
      await store.update(tally.id, (current) => current.add(at(1)));
      expect((await store.pendingOutbox(10))[0]?.events.map((event) => event.headers)).toEqual([{}, {}]);
    });
  });
}
