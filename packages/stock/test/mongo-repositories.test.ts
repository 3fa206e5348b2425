import { connectMongo, ensureIndexes, type MongoStorage } from "@oms/platform/storage";
import { afterAll, beforeAll, describe } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { MongoReservationRepository, reservationIndexes } from "../src/adapters/mongo-reservation-repository.js";
import { MongoStockLevelRepository, stockLevelIndexes } from "../src/adapters/mongo-stock-level-repository.js";
import { describeReservationRepositoryContract } from "./reservation-repository.contract.js";
import { describeStockLevelRepositoryContract } from "./stock-level-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoDB adapters on FerretDB", () => {
  let server: RunningFerretDb;
  const opened: MongoStorage[] = [];
  beforeAll(async () => {
    server = await startFerretDb();
  });
  afterAll(async () => {
    for (const storage of opened) await storage.close();
    await server?.stop();
  });

  /**
   * One database per contract (so neither sees the other's data), emptied
   * and given its indexes before each case, as a service start would.
   */
  function freshDatabase(dbName: string): () => Promise<MongoStorage> {
    let storage: MongoStorage | undefined;
    return async () => {
      if (!storage) opened.push((storage = await connectMongo(server.url, { dbName })));
      await storage.db.dropDatabase();
      await ensureIndexes(storage.db, { ...stockLevelIndexes, ...reservationIndexes });
      return storage;
    };
  }

  const levelsDatabase = freshDatabase("stock_level_contract");
  describeStockLevelRepositoryContract("mongodb", async () => new MongoStockLevelRepository((await levelsDatabase()).db));
  const reservationsDatabase = freshDatabase("reservation_contract");
  describeReservationRepositoryContract("mongodb", async () => new MongoReservationRepository((await reservationsDatabase()).db));
});
