import { afterAll, beforeAll, describe } from "vitest";
import { connectMongo, type MongoStorage } from "@oms/platform/storage";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "../../../test/infra/ferretdb.js";
import { MongoTicketRepository } from "../src/adapters/mongo-ticket-repository.js";
import { describeTicketRepositoryContract } from "./ticket-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoTicketRepository on FerretDB", () => {
  let server: RunningFerretDb;
  const opened: MongoStorage[] = [];
  let databases = 0;
  beforeAll(async () => {
    server = await startFerretDb();
  });
  afterAll(async () => {
    for (const storage of opened) await storage.close();
    await server?.stop();
  });

  // A fresh database per case: the contract expects an empty repository.
  describeTicketRepositoryContract("mongodb", async () => {
    const storage = await connectMongo(server.url, { dbName: `tickets_${++databases}` });
    opened.push(storage);
    return MongoTicketRepository.open(storage.db);
  });
});
