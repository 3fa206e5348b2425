import { connectMongo, ensureIndexes, type MongoStorage } from "@oms/platform/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { recordIndexUse } from "@oms/testkit/index-use";
import { itemIndexes, MongoItemRepository } from "../src/adapters/mongo-item-repository.js";
import { describeItemRepositoryContract } from "./item-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoDB adapters on FerretDB", () => {
  let server: RunningFerretDb;
  let storage: MongoStorage;
  let queries: ReturnType<typeof recordIndexUse>;
  beforeAll(async () => {
    server = await startFerretDb();
    // A database of its own for the contract, so no other test's data is seen.
    storage = await connectMongo(server.url, { dbName: "menu_item_contract" });
    queries = recordIndexUse(storage.client);
  });
  afterAll(async () => {
    await storage?.close();
    await server?.stop();
  });

  // Each case gets an empty database with its indexes, as a service start would.
  describeItemRepositoryContract("mongodb", async () => {
    await storage.db.dropDatabase();
    await ensureIndexes(storage.db, itemIndexes);
    return new MongoItemRepository(storage.db);
  });

  it("serves every query it sent from an index its adapter declares", () => {
    expect(queries.unserved()).toEqual([]);
  });
});
