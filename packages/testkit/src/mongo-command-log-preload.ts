import { appendFileSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { MongoClient, type CommandStartedEvent } from "mongodb";

/**
 * Preloaded into a process under test (see mongo-command-log.ts): every
 * MongoClient it connects reports each command it sends, through the driver's
 * command monitoring (connectMongo turns it on), as one JSON line appended
 * to $OMS_MONGO_COMMAND_LOG (the driver's Maps, index keys and sorts, as
 * objects in their order). Loader threads (tsx registers one) run preloads
 * too; they send nothing and are left alone.
 */
const log = process.env.OMS_MONGO_COMMAND_LOG;
if (log && isMainThread) {
  // The driver's own connect, called with each client as `this` below.
  const connect = Reflect.get<MongoClient, "connect">(MongoClient.prototype, "connect");
  const watched = new WeakSet<MongoClient>();
  const asObjects = (_key: string, value: unknown): unknown => (value instanceof Map ? Object.fromEntries(value) : value);
  MongoClient.prototype.connect = function (this: MongoClient) {
    if (!watched.has(this)) {
      watched.add(this);
      this.on("commandStarted", ({ commandName, databaseName, command }: CommandStartedEvent) => {
        appendFileSync(log, `${JSON.stringify({ commandName, databaseName, command }, asObjects)}\n`);
      });
    }
    return connect.call(this);
  };
}
