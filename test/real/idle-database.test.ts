import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services, startRealStack, type RealStack, type ServiceName } from "../../scripts/real-stack.js";
import { ferretDbAvailable } from "@oms/testkit/ferretdb";
import { unservedQueries, type RecordedCommand } from "@oms/testkit/index-use";
import { mongoCommandLog } from "@oms/testkit/mongo-command-log";
import { rabbitMqAvailable } from "@oms/testkit/rabbitmq";

/** How long the idle system is watched: three of the longest idle interval (the 5 s sweeps). */
const windowSeconds = 15;

/**
 * An idle system costs its database next to nothing: with no traffic, each
 * service process (on FerretDB and RabbitMQ, default settings: 8 cooks, the
 * usual sweeps) sends at most one command a second, counted by the driver's
 * command monitoring inside each process. Work arrives with its event; what
 * polls is a rare sweep, and an index serves it. A count over a window, not a timing.
 */
describe.skipIf(!rabbitMqAvailable() || !ferretDbAvailable())("an idle system's database traffic", () => {
  let stack: RealStack;
  let logs: string;
  const logOf = (service: ServiceName) => join(logs, `${service}.log`);

  beforeAll(async () => {
    logs = await mkdtemp(join(tmpdir(), "oms-idle-"));
    stack = await startRealStack({ LOG_LEVEL: "error" }, { instanceEnv: (instance) => mongoCommandLog.environment(logOf(instance.service)) });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    if (logs) await rm(logs, { recursive: true, force: true });
  }, 60_000);

  it(`sends at most one database command per second per service over ${windowSeconds} s`, async () => {
    // Every service opened its storage (indexes, the seed): the log sees the process's commands.
    for (const service of services) expect(mongoCommandLog.read(logOf(service)).length, service).toBeGreaterThan(0);
    const before = Object.fromEntries(services.map((service) => [service, mongoCommandLog.read(logOf(service)).length]));
    await sleep(windowSeconds * 1_000);
    const sent = Object.fromEntries(services.map((service) => [service, mongoCommandLog.read(logOf(service)).slice(before[service])]));
    console.log(`database commands of an idle system over ${windowSeconds} s:`, Object.fromEntries(services.map((service) => [service, summary(sent[service]!)])));
    for (const service of services) expect(sent[service]!.length, `${service}: ${summary(sent[service]!)}`).toBeLessThanOrEqual(windowSeconds);
  }, 60_000);

  it("served every query the services sent, from start through the idle window, by an index they declare", () => {
    for (const service of services) expect(unservedQueries(mongoCommandLog.read(logOf(service))), service).toEqual([]);
  });
});

/** "4; find oms_order.orders ×4": how many, and which. */
function summary(commands: readonly RecordedCommand[]): string {
  const byKind = new Map<string, number>();
  for (const { commandName, databaseName, command } of commands) {
    const kind = `${commandName} ${databaseName}.${String(command[commandName])}`;
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return [`${commands.length}`, ...[...byKind].map(([kind, count]) => `${kind} ×${count}`)].join("; ");
}
