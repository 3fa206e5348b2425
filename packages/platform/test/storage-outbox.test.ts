import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventBus, EventEnvelope } from "../src/events/event-bus.js";
import { OutboxRelay } from "../src/events/outbox.js";
import { newId } from "../src/ids.js";
import {
  connectMongo,
  markPublished,
  mongoOutboxStore,
  pendingOutbox,
  toStoredEnvelope,
  type MongoStorage,
  type OutboxDocument,
} from "../src/storage/index.js";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "../../../test/infra/ferretdb.js";

interface OrderDocument extends OutboxDocument {
  status: string;
}

function event(type: string, time: number, body: number[]): EventEnvelope {
  return { id: newId(), type, time: new Date(time), body: Uint8Array.from(body), headers: { traceparent: `00-${time}` } };
}

describe.skipIf(!ferretDbAvailable())("outbox documents on FerretDB", () => {
  let server: RunningFerretDb;
  let storage: MongoStorage;
  beforeAll(async () => {
    server = await startFerretDb();
    storage = await connectMongo(server.url, { dbName: "outbox" });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });
  let collectionNumber = 0;
  const freshOrders = () => storage.db.collection<OrderDocument>(`orders_${++collectionNumber}`);

  it("round-trips envelopes: body bytes, time, headers, id and type", async () => {
    const orders = freshOrders();
    const created = event("order.created", 1_700_000_000_123, [0, 1, 2, 255, 0]);
    const paid = event("order.paid", 1_700_000_000_456, []);
    await orders.insertOne({ _id: "o1", status: "paid", outbox: [created, paid].map(toStoredEnvelope) });
    const [pending] = await pendingOutbox(orders, 10);
    expect(pending).toEqual({ aggregateId: "o1", events: [created, paid] });
    expect(pending!.events[0]!.body).toBeInstanceOf(Uint8Array);
    expect(pending!.events[0]!.time).toBeInstanceOf(Date);
  });

  it("lists only documents with events, oldest first event first, at most `limit`", async () => {
    const orders = freshOrders();
    await orders.insertMany([
      { _id: "late", status: "new", outbox: [toStoredEnvelope(event("order.created", 3_000, [3]))] },
      { _id: "none", status: "new", outbox: [] },
      { _id: "early", status: "new", outbox: [toStoredEnvelope(event("order.created", 1_000, [1])), toStoredEnvelope(event("order.paid", 9_000, [9]))] },
      { _id: "middle", status: "new", outbox: [toStoredEnvelope(event("order.created", 2_000, [2]))] },
    ]);
    await storage.db.collection(orders.collectionName).insertOne({ _id: "missing" as never, status: "new" });
    expect((await pendingOutbox(orders, 10)).map((pending) => pending.aggregateId)).toEqual(["early", "middle", "late"]);
    expect((await pendingOutbox(orders, 2)).map((pending) => pending.aggregateId)).toEqual(["early", "middle"]);
  });

  it("pulls the published events, keeps the others and ignores unknown ids", async () => {
    const orders = freshOrders();
    const [first, second, third] = [event("order.created", 1, [1]), event("order.paid", 2, [2]), event("order.completed", 3, [3])];
    await orders.insertOne({ _id: "o1", status: "done", outbox: [first!, second!, third!].map(toStoredEnvelope) });
    await markPublished(orders, "o1", [first!.id, third!.id, "01UNKNOWNEVENTID0000000000"]);
    expect(await pendingOutbox(orders, 10)).toEqual([{ aggregateId: "o1", events: [second] }]);
    await markPublished(orders, "o1", [second!.id]);
    expect(await pendingOutbox(orders, 10)).toEqual([]);
    expect(await orders.findOne({ _id: "o1" })).toMatchObject({ status: "done", outbox: [] });
    await expect(markPublished(orders, "no-such-order", [first!.id])).resolves.toBeUndefined();
  });

  it("keeps an event pushed after the relay read the outbox", async () => {
    const orders = freshOrders();
    const first = event("order.created", 1, [1]);
    await orders.insertOne({ _id: "o1", status: "new", outbox: [toStoredEnvelope(first)] });
    const [read] = await pendingOutbox(orders, 10);
    const later = event("order.paid", 2, [2]);
    await orders.updateOne({ _id: "o1" }, { $set: { status: "paid" }, $push: { outbox: toStoredEnvelope(later) } });
    await markPublished(orders, read!.aggregateId, read!.events.map((pending) => pending.id));
    expect(await pendingOutbox(orders, 10)).toEqual([{ aggregateId: "o1", events: [later] }]);
  });

  it("drives OutboxRelay: everything is published once, in order, and the outboxes end empty", async () => {
    const orders = freshOrders();
    const events = Array.from({ length: 5 }, (_, index) => event("order.created", 1_000 + index, [index]));
    await orders.insertMany(events.map((pending, index) => ({ _id: `o${index}`, status: "new", outbox: [toStoredEnvelope(pending)] })));
    const published: EventEnvelope[] = [];
    const bus = { publish: async (envelope: EventEnvelope) => void published.push(envelope) } as EventBus;
    const relay = new OutboxRelay(mongoOutboxStore(orders), bus);
    await relay.flush();
    expect(published).toEqual(events);
    expect(await pendingOutbox(orders, 10)).toEqual([]);
  });
});
