import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { startSingleConnectionProxy, type SingleConnectionProxy } from "@oms/testkit/single-connection-proxy";

/**
 * Replicas on FerretDB rely on the proxy: through it, conditional updates
 * from several clients (each its own connection, as separate processes have)
 * are atomic, and a database restart closes the clients' connections.
 */
describe.skipIf(!ferretDbAvailable())("the single-connection proxy in front of FerretDB", () => {
  let ferret: RunningFerretDb;
  let proxy: SingleConnectionProxy;
  const clients: MongoClient[] = [];
  beforeAll(async () => {
    ferret = await startFerretDb();
    proxy = await startSingleConnectionProxy(Number(new URL(ferret.url).port));
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await proxy?.stop();
    await ferret?.stop();
  });
  const client = async () => {
    const opened = await MongoClient.connect(proxy.url, { maxPoolSize: 1, serverSelectionTimeoutMS: 5_000 });
    clients.push(opened);
    return opened;
  };

  it("lets exactly 20 of 50 reservations from five clients take 20 units", async () => {
    const five = await Promise.all(Array.from({ length: 5 }, client));
    await five[0]!.db("proxy").collection("levels").insertOne({ _id: "item" as never, available: 20 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        five[index % 5]!.db("proxy").collection("levels").updateOne({ _id: "item" as never, available: { $gte: 1 } }, { $inc: { available: -1 } }),
      ),
    );
    expect(results.filter((result) => result.modifiedCount === 1)).toHaveLength(20);
    expect(await five[0]!.db("proxy").collection("levels").findOne({ _id: "item" as never })).toMatchObject({ available: 0 });
  });

  it("serves clients again after the database restarts", async () => {
    const one = await client();
    await one.db("proxy").collection("notes").insertOne({ note: "before" });
    await ferret.restart("SIGKILL");
    await expect.poll(() => one.db("proxy").collection("notes").countDocuments().catch(() => -1), { timeout: 20_000 }).toBe(1);
  });
});
