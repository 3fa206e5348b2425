import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "@oms/platform/testing";
import { demoDishes } from "@oms/all-in-one/demo-menu";
import { replicated, services, startRealStack, type RealStack, type ServiceName } from "../../scripts/real-stack.js";
import { consulAvailable } from "@oms/testkit/consul";
import { ferretDbAvailable } from "@oms/testkit/ferretdb";
import { rabbitMqAvailable } from "@oms/testkit/rabbitmq";
import { account, listOrders, type Books } from "./accounting.js";
import { driveOrders, handOverReady } from "./drive-orders.js";
import { EventLog } from "./event-log.js";
import { PatientClient } from "./patient-client.js";
import { chaosSeed, seededRandom } from "./random.js";
import { planSchedule, runSchedule } from "./schedule.js";
import { describeHolds } from "./stock-holds.js";

const seed = chaosSeed();
const orders = Number(process.env.CHAOS_ORDERS ?? 100);

/**
 * The system under faults, with its books checked after: the real stack as
 * processes (two instances of order, payment, kitchen and menu found through
 * Consul, one stock, RabbitMQ, FerretDB), customers ordering, paying,
 * cancelling and collecting while a seeded schedule kills and restarts every
 * instance, the broker and the database; then, once the system has had a
 * bounded time to settle, every difference between what was acknowledged and
 * what the services and the broker show fails the run, with the seed.
 */
describe.skipIf(!rabbitMqAvailable() || !ferretDbAvailable() || !consulAvailable())(`chaos with accounting (CHAOS_SEED=${seed})`, () => {
  let stack: RealStack | undefined;
  let events: EventLog | undefined;
  afterAll(async () => {
    await events?.close();
    await stack?.stop();
  }, 60_000);

  it("loses, doubles, oversells and strands nothing while instances, the broker and the database fail", async () => {
    const began = Date.now();
    stack = await startRealStack(
      {
        // Short clocks, so what the sweeps and deadlines promise happens within the run.
        PAYMENT_DEADLINE: "20s",
        STOCK_HOLD_TIMEOUT: "30s",
        STOCK_CLAIM_TIMEOUT: "20s",
        KITCHEN_COOK_TIME: "300ms",
        KITCHEN_COOKS: "2",
        // Failures are the point here; their log lines would drown the report.
        LOG_LEVEL: process.env.LOG_LEVEL ?? "fatal",
      },
      // One payment instance pays by itself after a second, as a customer's bank app might, racing the page's Pay and cancels.
      { replicas: replicated, instanceEnv: (instance): Record<string, string> => (instance.id === "payment-2" ? { PAYMENT_AUTO_PAY_AFTER: "1s" } : {}) },
    );
    const started = Date.now();
    const running = stack;
    events = await EventLog.observe(running.amqpUrl);
    const client = new PatientClient((service) => running.urlsOf(service as ServiceName));
    const staffToken = await running.issuer.issue("chaos-staff", "staff");
    // Two scarce items (5 and 15 units), so some orders are refused and the last units are fought over; three plentiful ones.
    const items = ["Truffle Fries", "Risotto ai Funghi", "Espresso", "Lemonade", "Margherita"].map((name) => demoDishes.find((dish) => dish.name === name)!.id);
    const initialStock = await openingStock(client, staffToken, items);

    const schedule = planSchedule(seededRandom(seed), running.instances.map((instance) => instance.id));
    const [faults, journeys] = await Promise.all([
      runSchedule(running, staffToken, schedule, started),
      driveOrders({ client, issuer: running.issuer, random: seededRandom(seed ^ 0x5eed), seed, staffToken, items, orders, inFlight: 16, spacingMs: 300 }),
    ]);
    const driven = Date.now();

    const customerPrefix = `chaos-${seed}-customer-`;
    const input = { client, staffToken, events, journeys, initialStock, services, customerPrefix, epoch: started };
    // Settling: orders the customers stopped following are handed over when READY, the rest finish by themselves
    // (deadlines, sweeps, redeliveries); the books must balance within the bound.
    const settle = async (): Promise<Books | undefined> => {
      await handOverReady(client, staffToken, await listOrders(input));
      const books = await account(input);
      return books.problems.length === 0 ? books : undefined;
    };
    const books = await waitFor(settle, { timeoutMs: 90_000, intervalMs: 2_000, message: "the books to balance" }).catch(() => account(input));
    const settled = Date.now();
    const holds = books.problems.some((problem) => problem.includes("held with no live order")) ? await describeHolds(running.mongodbUrl, items, new Map((await listOrders(input)).map((order) => [order.id, order.status]))) : [];

    const report = [
      `chaos seed ${seed}: ${journeys.length} orders driven (${count(journeys, "created")} created, ${count(journeys, "refused")} refused for stock, ${count(journeys, "gave-up")} never answered)`,
      `  final: ${JSON.stringify(books.byStatus)}; ${events.deliveriesSeen} events observed`,
      `  calls: ${JSON.stringify(Object.fromEntries(client.tally))}`,
      `  ${faults.length} faults:`,
      ...faults.map((line) => `    ${line}`),
      `  wall: stack up ${((started - began) / 1000).toFixed(0)} s, chaos ${((driven - started) / 1000).toFixed(0)} s, settled ${((settled - driven) / 1000).toFixed(0)} s`,
      ...books.problems.map((problem) => `  PROBLEM ${problem}`),
      ...holds.map((hold) => `  HELD ${hold}`),
    ].join("\n");
    console.log(report);

    expect(faults, `seed ${seed}: every planned fault was injected`).toHaveLength(schedule.length);
    expect(books.byStatus.COMPLETED ?? 0, `seed ${seed}: some orders made it through`).toBeGreaterThan(0);
    expect(books.problems, `seed ${seed} (replay with CHAOS_SEED=${seed}): the books do not balance`).toEqual([]);
  }, 400_000);
});

async function openingStock(client: PatientClient, staffToken: string, items: string[]): Promise<Map<string, number>> {
  const { body } = await client.call("stock", "oms.stock.v1.StockService/GetStock", { itemIds: items }, { token: staffToken });
  const levels = (body.levels ?? []) as Array<{ itemId: string; available?: number; reserved?: number }>;
  return new Map(levels.map((level) => [level.itemId, (level.available ?? 0) + (level.reserved ?? 0)]));
}

function count(journeys: ReadonlyArray<{ create: string }>, outcome: string): number {
  return journeys.filter((journey) => journey.create === outcome).length;
}
