import { connectMongo, ensureIndexes, type MongoStorage } from "@oms/platform/storage";
import { afterAll, beforeAll, describe } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { itemIndexes, MongoItemRepository } from "../src/adapters/mongo-item-repository.js";
import { describeItemRepositoryContract } from "./item-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoDB adapters on FerretDB", () => {
  let server: RunningFerretDb;
  let storage: MongoStorage;
  beforeAll(async () => {
    server = await startFerretDb();
    // A database of its own for the contract, so no other test's data is seen.
    storage = await connectMongo(server.url, { dbName: "menu_item_contract" });
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
});
