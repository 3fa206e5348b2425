import { afterAll, beforeAll, describe } from "vitest";
import { connectMongo, type MongoStorage } from "@oms/platform/storage";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "../../../test/infra/ferretdb.js";
import { MongoPaymentRepository } from "../src/adapters/mongo-payment-repository.js";
import { describePaymentRepositoryContract } from "./payment-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoPaymentRepository on FerretDB", () => {
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
  describePaymentRepositoryContract("mongodb", async () => {
    const storage = await connectMongo(server.url, { dbName: `payments_${++databases}` });
    opened.push(storage);
    return MongoPaymentRepository.open(storage.db);
  });
});
