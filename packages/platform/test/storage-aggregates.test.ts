import type { Db } from "mongodb";
import { describe, expect, it } from "vitest";
import { AggregateOutboxStore, decode, envelope } from "../src/events/index.js";
import { MemoryAggregates, MongoAggregates } from "../src/storage/index.js";
import { ferretDbAvailable, useFerretDb } from "@oms/testkit/ferretdb";
import { describeAggregateStoreContract, trace } from "./aggregate-store.contract.js";
import { DuplicateTallyError, Tally, type TallyEvent, type TallyState } from "./support/tally.js";

const traceHeaders = () => trace.current;

/** A service's repositories in miniature: the kit's stores and their unique key. */
const unique = { field: "key", duplicate: (holder: Tally) => new DuplicateTallyError(holder) } as const;

class MemoryTallies extends MemoryAggregates<Tally, TallyState> {
  constructor(headers: () => Record<string, string> = traceHeaders) {
    super(Tally, { unique, traceHeaders: headers });
  }
}

class MongoTallies extends MongoAggregates<Tally, TallyState> {
  static readonly indexes = [{ name: "key_unique", key: { key: 1 }, unique: true }];

  constructor(db: Db) {
    super(db, "tallies", Tally, { unique, traceHeaders });
  }
}

describeAggregateStoreContract("memory", () => new MemoryTallies());

describe.skipIf(!ferretDbAvailable())("MongoAggregates on FerretDB", () => {
  const ferret = useFerretDb();
  describeAggregateStoreContract("mongodb", async () => MongoTallies.open(await ferret.freshDatabase("aggregates")));

  it("serves every query it sent from an index its adapter declares", () => {
    expect(ferret.unservedQueries()).toEqual([]);
  });
});

describe("AggregateOutboxStore", () => {
  // Any catalogued event type serves as a body: the store only maps.
  const body = (event: TallyEvent) => envelope("order.completed", { orderId: `count-${event.count}` }, { traceparent: "00-relay-caller" });

  it("envelopes each pending event with the id, time and headers it was stored with", async () => {
    const store = new MemoryTallies(() => ({ traceparent: "00-raised" }));
    const tally = Tally.open("k", new Date(5), 1);
    await store.create(tally);
    const outbox = new AggregateOutboxStore(store, body);

    const [pending] = await outbox.pendingOutbox(10);
    const [event] = tally.outbox;
    expect(pending?.aggregateId).toBe(tally.id);
    expect(pending?.events.map(({ id, time, headers }) => ({ id, time, headers }))).toEqual([{ id: event!.id, time: event!.time, headers: { traceparent: "00-raised" } }]);
    expect(decode("order.completed", pending!.events[0]!).orderId).toBe("count-1");
    await outbox.markPublished(tally.id, [event!.id]);
    expect(await outbox.pendingOutbox(10)).toEqual([]);
  });
});
