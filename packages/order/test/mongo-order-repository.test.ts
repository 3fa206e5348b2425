import { connectMongo, versionedUpdate, type MongoStorage } from "@oms/platform/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { recordIndexUse } from "@oms/testkit/index-use";
import { ordersCollection, type OrderDocument } from "../src/adapters/mongo-order-documents.js";
import { MongoOrderRepository } from "../src/adapters/mongo-order-repository.js";
import { describeOrderRepositoryContract } from "./order-repository.contract.js";
import { moveTo, newOrder, t0 } from "./support/orders.js";

const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

describe.skipIf(!ferretDbAvailable())("MongoOrderRepository on FerretDB", () => {
  let server: RunningFerretDb;
  let storage: MongoStorage;
  let queries: ReturnType<typeof recordIndexUse>;
  beforeAll(async () => {
    server = await startFerretDb();
    storage = await connectMongo(server.url, { dbName: "orders" });
    queries = recordIndexUse(storage.client);
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  // A fresh database for every repository: tests never see each other's orders.
  let databases = 0;
  const freshDb = () => storage.client.db(`orders_${++databases}`);
  const freshRepository = () => MongoOrderRepository.open(freshDb());

  describeOrderRepositoryContract("MongoDB (FerretDB)", freshRepository);

  it("creates its indexes at open, and opening again changes nothing", async () => {
    const db = freshDb();
    await MongoOrderRepository.open(db);
    await MongoOrderRepository.open(db);
    const indexes = await db.collection(ordersCollection).listIndexes().toArray();
    expect(Object.fromEntries(indexes.map((index) => [index.name, index.key]))).toEqual({
      _id_: { _id: 1 },
      idempotency_key_unique: { idempotencyKey: 1 },
      customer_newest_first: { customerId: 1, _id: -1 },
      status_payment_deadline: { status: 1, paymentDeadline: 1 },
      status_finished_time: { status: 1, updateTime: 1 },
      outbox_pending_oldest_first: { "outbox.0.time": 1 },
    });
    expect(indexes.find((index) => index.name === "idempotency_key_unique")?.unique).toBe(true);
  });

  it("counts finished orders the same on every instance sharing the database, as they settle and after", async () => {
    const db = freshDb();
    const writer = await MongoOrderRepository.open(db);
    let clock = minutes(10);
    const reader = new MongoOrderRepository(db, { now: () => clock });
    await writer.create(moveTo(newOrder(), "COMPLETED", minutes(1)));
    await writer.create(moveTo(newOrder(), "CANCELLED", minutes(10)));
    const ready = moveTo(newOrder(), "READY", minutes(10));
    await writer.create(ready);
    expect(await reader.countByStatus()).toEqual({ READY: 1, COMPLETED: 1, CANCELLED: 1 });

    // Another instance completes an order; this one sees it at its next scrape, then as it settles.
    await writer.update(ready.id, (stored) => stored.complete(minutes(10.5)));
    clock = minutes(11);
    expect(await reader.countByStatus()).toEqual({ COMPLETED: 2, CANCELLED: 1 });
    clock = minutes(20);
    expect(await reader.countByStatus()).toEqual({ COMPLETED: 2, CANCELLED: 1 });
    await writer.create(moveTo(newOrder(), "CANCELLED", minutes(20)));
    expect(await reader.countByStatus()).toEqual({ COMPLETED: 2, CANCELLED: 2 });
    // Two scrapes at once (Prometheus and an OTLP export) move the horizon once and agree.
    clock = minutes(30);
    expect(await Promise.all([reader.countByStatus(), reader.countByStatus()])).toEqual([{ COMPLETED: 2, CANCELLED: 2 }, { COMPLETED: 2, CANCELLED: 2 }]);
    // A fresh instance (or a restart) reads the settled history once and agrees.
    expect(await new MongoOrderRepository(db, { now: () => clock }).countByStatus()).toEqual({ COMPLETED: 2, CANCELLED: 2 });
  });

  it("stores one document per order, with the change and its events in it", async () => {
    const db = freshDb();
    const repository = await MongoOrderRepository.open(db);
    const order = newOrder();
    await repository.create(order);
    await repository.update(order.id, (stored) => stored.cancel("changed my mind", minutes(1)));
    const document = await db.collection<OrderDocument>(ordersCollection).findOne({ _id: order.id });
    expect(document).toMatchObject({ status: "CANCELLED", version: 2, cancelReason: "changed my mind" });
    expect(document?.outbox.map((event) => event.type)).toEqual(["order.created", "order.cancelled"]);
    expect(document?.paymentDeadline).toBeInstanceOf(Date);
  });

  it("saves a change without bringing back events published since it was loaded", async () => {
    const db = freshDb();
    const repository = await MongoOrderRepository.open(db);
    const order = newOrder();
    await repository.create(order);
    const loaded = (await repository.get(order.id))!;
    const before = loaded.toSnapshot();
    loaded.cancel("changed my mind", minutes(1));
    // The relay publishes order.created between the change's load and its save.
    await repository.markPublished(order.id, [before.outbox[0]!.id]);
    const orders = db.collection<OrderDocument>(ordersCollection);
    await orders.updateOne({ _id: order.id, version: before.version }, versionedUpdate(before, loaded.toSnapshot()));
    const pending = await repository.pendingOutbox(10);
    expect(pending.flatMap((entry) => entry.events.map((event) => event.type))).toEqual(["order.cancelled"]);
    expect((await repository.get(order.id))?.status).toBe("CANCELLED");
  });

  it("applies many concurrent changes to one order, each once", async () => {
    const repository = await freshRepository();
    const order = newOrder();
    await repository.create(order);
    // Each change moves the order only if it is still PENDING; all but one see it moved.
    const moves = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        repository.update(order.id, (stored) => {
          if (stored.status === "PENDING") stored.awaitPayment(`https://pay.example/${index}`, minutes(1));
        }),
      ),
    );
    const stored = await repository.get(order.id);
    expect(stored?.version).toBe(2);
    expect(new Set(moves.map((moved) => moved?.paymentUrl))).toEqual(new Set([stored?.paymentUrl]));
  });

  it("serves every query it sent from an index its adapter declares", () => {
    expect(queries.unserved()).toEqual([]);
  });
});
