import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectMongo, type MongoStorage } from "../src/storage/index.js";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";

interface StockLevel {
  _id: string;
  available: number;
}

/** How stock reserves: one conditional update, never read-then-write. */
async function reserve(storage: MongoStorage, dishId: string, quantity: number): Promise<boolean> {
  const result = await storage.db
    .collection<StockLevel>("stock")
    .updateOne({ _id: dishId, available: { $gte: quantity } }, { $inc: { available: -quantity } });
  return result.modifiedCount === 1;
}

describe.skipIf(!ferretDbAvailable())("conditional atomic $inc on FerretDB", () => {
  let server: RunningFerretDb;
  let storage: MongoStorage;
  beforeAll(async () => {
    server = await startFerretDb();
    storage = await connectMongo(server.url, { dbName: "atomic_update" });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });
  const stock = () => storage.db.collection<StockLevel>("stock");

  it("lets exactly 20 of 50 concurrent single reservations through 20 in stock, ending at zero", async () => {
    await stock().insertOne({ _id: "dish-1", available: 20 });
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => reserve(storage, "dish-1", 1)));
    expect(outcomes.filter(Boolean)).toHaveLength(20);
    expect(await stock().findOne({ _id: "dish-1" })).toEqual({ _id: "dish-1", available: 0 });
  });

  it("never goes below zero with mixed quantities, and accounts for every unit", async () => {
    await stock().insertOne({ _id: "dish-2", available: 37 });
    const quantities = Array.from({ length: 50 }, (_, index) => (index % 4) + 1);
    const outcomes = await Promise.all(quantities.map((quantity) => reserve(storage, "dish-2", quantity)));
    const reserved = quantities.filter((_, index) => outcomes[index]).reduce((sum, quantity) => sum + quantity, 0);
    const left = (await stock().findOne({ _id: "dish-2" }))?.available;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(reserved + (left ?? NaN)).toBe(37);
    // Every refused request asked for more than what was left at the end.
    for (const [index, quantity] of quantities.entries()) if (!outcomes[index]) expect(quantity).toBeGreaterThan(left!);
  });

  it("refuses a reservation larger than the stock and changes nothing", async () => {
    await stock().insertOne({ _id: "dish-3", available: 2 });
    expect(await reserve(storage, "dish-3", 3)).toBe(false);
    expect(await stock().findOne({ _id: "dish-3" })).toEqual({ _id: "dish-3", available: 2 });
  });

  it("lets exactly one of 50 concurrent compare-and-set updates on the same version win", async () => {
    const orders = storage.db.collection<{ _id: string; version: number; paidBy?: number }>("orders");
    await orders.insertOne({ _id: "order-1", version: 1 });
    const winners = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        orders.findOneAndUpdate({ _id: "order-1", version: 1 }, { $set: { paidBy: index }, $inc: { version: 1 } }),
      ),
    );
    expect(winners.filter((winner) => winner !== null)).toHaveLength(1);
    expect(await orders.findOne({ _id: "order-1" })).toMatchObject({ version: 2 });
  });
});
