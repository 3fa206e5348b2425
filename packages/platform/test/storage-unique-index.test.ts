import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMongo, ensureIndexes, isDuplicateKeyError, type IndexPlan, type MongoStorage } from "../src/storage/index.js";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";

interface Order {
  _id: string;
  idempotencyKey?: string;
  status: string;
}

const plan: IndexPlan = {
  orders: [{ key: { idempotencyKey: 1 }, name: "idempotency_key", unique: true, sparse: true }],
};

describe.skipIf(!ferretDbAvailable())("unique indexes and isDuplicateKeyError on FerretDB", () => {
  let server: RunningFerretDb;
  let storage: MongoStorage;
  beforeAll(async () => {
    server = await startFerretDb();
    storage = await connectMongo(server.url, { dbName: "unique_index" });
    await ensureIndexes(storage.db, plan);
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });
  const orders = () => storage.db.collection<Order>("orders");

  it("creates the planned indexes, and running the plan again changes nothing", async () => {
    await ensureIndexes(storage.db, plan);
    const indexes = await orders().listIndexes().toArray();
    expect(indexes.map((index) => index.name).sort()).toEqual(["_id_", "idempotency_key"]);
    // FerretDB accepts `sparse` but does not list it (its unique indexes skip missing fields anyway).
    expect(indexes.find((index) => index.name === "idempotency_key")).toMatchObject({ key: { idempotencyKey: 1 }, unique: true });
  });

  it("refuses a changed definition under the same name", async () => {
    const changed: IndexPlan = { orders: [{ key: { idempotencyKey: -1 }, name: "idempotency_key", unique: true }] };
    await expect(ensureIndexes(storage.db, changed)).rejects.toThrow(/same name/);
  });

  it("rejects a second insert with the same key as a duplicate-key error", async () => {
    await orders().insertOne({ _id: "o1", idempotencyKey: "key-1", status: "new" });
    const error = await orders().insertOne({ _id: "o2", idempotencyKey: "key-1", status: "new" }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await orders().countDocuments({ idempotencyKey: "key-1" })).toBe(1);
  });

  it("reports a taken _id as a duplicate-key error", async () => {
    await orders().insertOne({ _id: "o3", status: "new" });
    const error = await orders().insertOne({ _id: "o3", status: "other" }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
  });

  it("reports a duplicate made by an update as a duplicate-key error and keeps the document", async () => {
    await orders().insertOne({ _id: "o4", idempotencyKey: "key-4", status: "new" });
    await orders().insertOne({ _id: "o5", idempotencyKey: "key-5", status: "new" });
    const error = await orders().updateOne({ _id: "o5" }, { $set: { idempotencyKey: "key-4" } }).catch((e: unknown) => e);
    expect(isDuplicateKeyError(error)).toBe(true);
    expect(await orders().findOne({ _id: "o5" })).toMatchObject({ idempotencyKey: "key-5" });
  });

  it("lets many documents go without the optional unique field (sparse)", async () => {
    await orders().insertMany([{ _id: "o6", status: "new" }, { _id: "o7", status: "new" }]);
    expect(await orders().countDocuments({ _id: { $in: ["o6", "o7"] } })).toBe(2);
  });

  it("does not call other failures duplicate-key errors", async () => {
    const notImplemented = await orders()
      .createIndex({ status: 1 }, { name: "ttl", expireAfterSeconds: 60 }, undefined)
      .catch((e: unknown) => e);
    expect(notImplemented).toBeInstanceOf(Error);
    expect(isDuplicateKeyError(notImplemented)).toBe(false);
    expect(isDuplicateKeyError(new Error("E11000 duplicate key"))).toBe(false);
    expect(isDuplicateKeyError(undefined)).toBe(false);
  });
});
