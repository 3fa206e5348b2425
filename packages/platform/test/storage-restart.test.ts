import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/logging.js";
import { connectMongo, type MongoStorage } from "../src/storage/index.js";
import { waitFor } from "../src/testing/index.js";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";

/**
 * Services keep one client for their life: after the database restarts, each
 * must serve again by itself. A graceful restart closes every connection at
 * once, which is what hung mongodb 7.9's server monitor for good in some
 * clients (see monitor-watchdog.ts); several busy clients make that likely.
 */
describe.skipIf(!ferretDbAvailable())("storage across a database restart", () => {
  let server: RunningFerretDb;
  const clients: MongoStorage[] = [];
  let busy = true;
  let load: Promise<unknown>;
  let reopened = 0;
  const logger = createLogger("storage-restart", { level: "warn" }, { write: (line: string) => { if (line.includes("monitor hung")) reopened++; } });
  beforeAll(async () => {
    server = await startFerretDb();
    for (let i = 0; i < 5; i++) clients.push(await connectMongo(server.url, { dbName: `restart_${i}`, heartbeatTimeoutMs: 2_000, logger }));
    load = Promise.all(clients.map((storage) => keepBusy(storage)));
  });
  afterAll(async () => {
    busy = false;
    await load;
    for (const storage of clients) await storage.close();
    await server?.stop();
  });

  /** Writes, reads and readiness pings, as a service under load does; failures while the database is away are expected. */
  async function keepBusy(storage: MongoStorage): Promise<void> {
    const things = storage.db.collection<{ n: number }>("things");
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const work = async () => {
      while (busy) await things.insertOne({ n: Math.random() }).then(() => things.find({}).limit(3).toArray()).catch(() => undefined).then(() => pause(5));
    };
    const ping = async () => {
      while (busy) await storage.ping().catch(() => undefined).then(() => pause(1_000));
    };
    await Promise.all([work(), work(), ping()]);
  }

  const serving = (storage: MongoStorage) => storage.db.collection("things").countDocuments({}, { maxTimeMS: 1_000 }).then((count) => count > 0);

  for (const signal of ["SIGTERM", "SIGTERM", "SIGKILL"] as const) {
    it(`serves again from every client after a restart by ${signal}`, async () => {
      await waitFor(async () => (await Promise.all(clients.map(serving))).every(Boolean), { message: "every client serving before" });
      await server.restart(signal);
      const restarted = Date.now();
      for (const [index, storage] of clients.entries()) {
        await waitFor(() => serving(storage), { timeoutMs: 30_000, message: `client ${index} serving after the restart` });
      }
      console.log(`every client served again ${Date.now() - restarted} ms after the ${signal} restart (hung monitors reopened so far: ${reopened})`);
      expect(clients).toHaveLength(5);
      // A restart takes ~3 s, and a hung monitor's reopening up to two heartbeat timeouts more: far past vitest's 5 s.
    }, 60_000);
  }
});
