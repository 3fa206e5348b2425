import type { Tracer } from "@opentelemetry/api";
import { MongoClient, type Db, type MongoClientOptions } from "mongodb";
import { watchMonitor } from "./monitor-watchdog.js";
import { traceCommands } from "./trace-commands.js";
import type { Logger } from "../logging.js";
import { UnavailableError } from "../errors/index.js";

/** An open MongoDB (or FerretDB) connection and the service's database. */
export interface MongoStorage {
  readonly client: MongoClient;
  readonly db: Db;
  /**
   * True when the server is FerretDB. Its updates are read-then-write, so
   * conditional updates are atomic only within one connection: connectMongo
   * then uses a single connection (see FERRETDB-NOTES.md).
   */
  readonly ferretDb: boolean;
  /** Round-trips a `ping` command; throws UnavailableError when the server does not answer (for /readyz). */
  ping(): Promise<void>;
  /** Closes every connection; safe to call twice. */
  close(): Promise<void>;
}

export interface ConnectMongoOptions {
  /** The database to use; defaults to the one named in the URL, else "oms". */
  dbName?: string;
  logger?: Logger;
  /** How long to wait for the server at connect and on each ping (default 5 s). */
  timeoutMs?: number;
  /** How long the driver gives a new connection or a heartbeat (connectTimeoutMS, default 10 s); see monitor-watchdog.ts. */
  heartbeatTimeoutMs?: number;
  /** Where command spans go (default: the process's global tracer, set up by startTelemetry). */
  tracer?: Tracer;
}

/**
 * Connects and checks the server answers. Fails with UnavailableError (naming
 * the host, never the password) when it does not within `timeoutMs`.
 */
export async function connectMongo(url: string, options: ConnectMongoOptions = {}): Promise<MongoStorage> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 10_000;
  const clientOptions: MongoClientOptions = {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: heartbeatTimeoutMs,
    appName: options.dbName,
    monitorCommands: true,
  };
  let client = await open(url, clientOptions);
  const buildInfo = await client.db("admin").command({ buildInfo: 1 });
  const ferretDb = typeof buildInfo.ferretdbVersion === "string";
  if (ferretDb) {
    // FerretDB 1.x checks a filter and writes the result in two steps, so two
    // connections can both pass `{ stock: { $gte: 1 } }`. One connection
    // serializes this process's operations, which makes them atomic again.
    await client.close();
    client = await open(url, { ...clientOptions, maxPoolSize: 1 });
    options.logger?.info({ ferretdbVersion: buildInfo.ferretdbVersion }, "FerretDB detected: using one connection");
  }
  traceCommands(client, options.tracer);
  const watchdog = watchMonitor(client, heartbeatTimeoutMs, options.logger);
  const db = client.db(options.dbName ?? databaseInUrl(url) ?? "oms");
  let closed = false;
  return {
    client,
    db,
    ferretDb,
    async ping() {
      try {
        // The driver's per-operation timeoutMS is a no-op in this version: bound the wait here, so /readyz answers in time.
        await Promise.race([db.command({ ping: 1 }), rejectAfter(timeoutMs)]);
      } catch (error) {
        throw new UnavailableError(`MongoDB at ${redact(url)} did not answer a ping: ${(error as Error).message}`, { cause: error });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      watchdog.stop();
      await client.close();
    },
  };
}

async function open(url: string, options: MongoClientOptions): Promise<MongoClient> {
  try {
    return await MongoClient.connect(url, options);
  } catch (error) {
    throw new UnavailableError(`cannot reach MongoDB at ${redact(url)}: ${(error as Error).message}`, { cause: error });
  }
}

/** The path segment of mongodb://host/db?x, when there is one. */
function databaseInUrl(url: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/** The URL without user and password, for error messages and logs. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

function rejectAfter(ms: number): Promise<never> {
  return new Promise((_resolve, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref());
}
