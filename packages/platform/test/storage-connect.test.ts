import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnavailableError } from "../src/errors/index.js";
import { freePort } from "../src/free-port.js";
import { connectMongo } from "../src/storage/index.js";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";

describe.skipIf(!ferretDbAvailable())("connectMongo against FerretDB", () => {
  let server: RunningFerretDb;
  beforeAll(async () => {
    server = await startFerretDb();
  });
  afterAll(() => server?.stop());

  it("connects, pings, and knows it talks to FerretDB", async () => {
    const storage = await connectMongo(server.url, { dbName: "connect_ping" });
    try {
      await expect(storage.ping()).resolves.toBeUndefined();
      expect(storage.ferretDb).toBe(true);
      expect(storage.db.databaseName).toBe("connect_ping");
      // One connection on FerretDB keeps conditional updates atomic.
      expect(storage.client.options.maxPoolSize).toBe(1);
    } finally {
      await storage.close();
    }
  });

  it("takes the database from the URL when no dbName is given, else 'oms'", async () => {
    const named = await connectMongo(`${server.url}menu_db?appName=x`);
    const unnamed = await connectMongo(server.url);
    try {
      expect(named.db.databaseName).toBe("menu_db");
      expect(unnamed.db.databaseName).toBe("oms");
    } finally {
      await Promise.all([named.close(), unnamed.close()]);
    }
  });

  it("writes and reads a document", async () => {
    const storage = await connectMongo(server.url, { dbName: "connect_rw" });
    try {
      const things = storage.db.collection<{ _id: string; n: number }>("things");
      await things.insertOne({ _id: "a", n: 1 });
      expect(await things.findOne({ _id: "a" })).toEqual({ _id: "a", n: 1 });
    } finally {
      await storage.close();
    }
  });

  it("fails ping with UnavailableError after close, and close twice is harmless", async () => {
    const storage = await connectMongo(server.url, { dbName: "connect_closed", timeoutMs: 1_000 });
    await storage.close();
    await storage.close();
    await expect(storage.ping()).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe("connectMongo with no server", () => {
  it("fails with UnavailableError naming the host but not the password", async () => {
    const port = await freePort();
    const attempt = connectMongo(`mongodb://user:secret@127.0.0.1:${port}/x`, { timeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(UnavailableError);
    await expect(attempt).rejects.toThrow(`cannot reach MongoDB at mongodb://***@127.0.0.1:${port}/x`);
    await attempt.catch((error: unknown) => expect((error as Error).message).not.toContain("secret"));
  });
});
