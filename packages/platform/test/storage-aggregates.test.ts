import { describe, expect, it } from "vitest";
import { AggregateOutboxStore, decode, envelope } from "../src/events/index.js";
import type { Db } from "mongodb";
import { ensureIndexes, MemoryAggregates, MongoAggregates } from "../src/storage/index.js";
import { ferretDbAvailable, useFerretDb } from "../../../test/infra/ferretdb.js";
import { describeAggregateStoreContract, trace, type TallyStore } from "./aggregate-store.contract.js";
import { Tally, type TallyEvent, type TallyState } from "./support/tally.js";

const traceHeaders = () => trace.current;

/** A service's repository in miniature: the kit's store plus its own create. */
class MemoryTallies extends MemoryAggregates<Tally, TallyState> {
  constructor(options: { traceHeaders?: () => Record<string, string> } = { traceHeaders }) {
    super(Tally, { unique: { key: (tally) => tally.key }, ...options });
  }

  insertTally(tally: Tally): Promise<Tally | undefined> {
    return this.insert(tally, "key");
  }
}

class MongoTallies extends MongoAggregates<Tally, TallyState> {
  constructor(db: Db) {
    super(db, "tallies", Tally, { traceHeaders });
  }

  insertTally(tally: Tally): Promise<Tally | undefined> {
    return this.insert(tally, { key: tally.key });
  }
}

const asTallyStore = (store: MemoryTallies | MongoTallies): TallyStore => ({
  insert: (tally) => store.insertTally(tally),
  get: (id) => store.get(id),
  update: (id, change) => store.update(id, change),
  pendingOutbox: (limit) => store.pendingOutbox(limit),
  markPublished: (id, eventIds) => store.markPublished(id, eventIds),
});

describeAggregateStoreContract("memory", () => asTallyStore(new MemoryTallies()));

describe.skipIf(!ferretDbAvailable())("MongoAggregates on FerretDB", () => {
  const ferret = useFerretDb();
  describeAggregateStoreContract("mongodb", async () => {
    const db = await ferret.freshDatabase("aggregates");
    await ensureIndexes(db, { tallies: [{ name: "key_unique", key: { key: 1 }, unique: true }] });
    return asTallyStore(new MongoTallies(db));
  });
});

describe("AggregateOutboxStore", () => {
  // Any catalogued event type serves as a body: the store only maps.
  const body = (event: TallyEvent) => envelope("order.completed", { orderId: `count-${event.count}` }, { traceparent: "00-relay-caller" });

  it("envelopes each pending event with the id, time and headers it was stored with", async () => {
    const store = new MemoryTallies({ traceHeaders: () => ({ traceparent: "00-raised" }) });
    const tally = Tally.open("k", new Date(5), 1);
    await store.insertTally(tally);
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
