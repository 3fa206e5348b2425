import { connectMongo, ensureIndexes, type MongoStorage } from "@oms/platform/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { recordIndexUse } from "@oms/testkit/index-use";
import { MongoReservationRepository, reservationIndexes } from "../src/adapters/mongo-reservation-repository.js";
import { MongoStockLevelRepository, stockLevelIndexes } from "../src/adapters/mongo-stock-level-repository.js";
import { describeReservationRepositoryContract } from "./reservation-repository.contract.js";
import { describeStockLevelRepositoryContract } from "./stock-level-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoDB adapters on FerretDB", () => {
  let server: RunningFerretDb;
  const opened: MongoStorage[] = [];
  const recorded: Array<ReturnType<typeof recordIndexUse>> = [];
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
      if (!storage) {
        opened.push((storage = await connectMongo(server.url, { dbName })));
        recorded.push(recordIndexUse(storage.client));
      }
      await storage.db.dropDatabase();
      await ensureIndexes(storage.db, { ...stockLevelIndexes, ...reservationIndexes });
      return storage;
    };
  }

  const levelsDatabase = freshDatabase("stock_level_contract");
  describeStockLevelRepositoryContract("mongodb", async () => new MongoStockLevelRepository((await levelsDatabase()).db));
  const reservationsDatabase = freshDatabase("reservation_contract");
  describeReservationRepositoryContract("mongodb", async () => new MongoReservationRepository((await reservationsDatabase()).db));

  it("serves every query it sent from an index its adapters declare", () => {
    expect(recorded.flatMap((log) => log.unserved())).toEqual([]);
  });
});
