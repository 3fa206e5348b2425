import type { CreateOrderPlan, CreateOrderResult } from "../load/create-order-load.js";
import { cpuPerOp, loadTimeout, reason, runLoad, startTarget, type ServerCpu } from "../lib/measure.js";
import type { BenchOptions } from "../lib/options.js";
import type { ResultRow, SuiteResult } from "../lib/results.js";
import type { EmbeddedPlan } from "../targets/embedded-system.js";

/**
 * RPC hops one CreateOrder costs on the synchronous path: the caller's
 * CreateOrder to order, order's GetItems to menu, order's ReserveItems to
 * stock. Everything after (payment, kitchen, READY) travels as events.
 */
export const rpcHopsPerOrder = 3;

const drainSeconds = 60;

/** The services' settings for the run: no cooking time, enough cooks, payment that pays itself at once. */
export const embeddedBenchEnv: Record<string, string> = {
  KITCHEN_COOK_TIME: "0ms",
  KITCHEN_COOKS: "64",
  PAYMENT_AUTO_PAY_AFTER: "1ms",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
};

/** Part 3: CreateOrder through the embedded system, and orders carried to READY. */
export async function endToEnd(options: BenchOptions, previous: readonly SuiteResult[]): Promise<SuiteResult> {
  const title = "3. End to end: CreateOrder in the embedded mode, orders to READY";
  process.stderr.write("[e2e] embedded system...\n");
  let result: CreateOrderResult & ServerCpu;
  try {
    const system = await startTarget("targets/embedded-system.ts", options, { env: embeddedBenchEnv, extraStock: 100_000 } satisfies EmbeddedPlan, embeddedBenchEnv);
    try {
      const plan: CreateOrderPlan = {
        orderUrl: system.url,
        itemIds: system.info.itemIds as string[],
        authorization: system.info.authorization as string,
        connections: options.connections,
        warmupSeconds: options.warmupSeconds,
        durationSeconds: options.durationSeconds,
        drainSeconds,
      };
      result = await runLoad<CreateOrderResult>("load/create-order-load.ts", plan, loadTimeout(options, drainSeconds + 60), system);
    } finally {
      await system.stop();
    }
  } catch (error) {
    return { name: "e2e", title, rows: [], notes: [], skipped: `the embedded system could not be measured: ${reason(error)}` };
  }

  const platform = previous.find((suite) => suite.name === "rpc")?.rows.find((row) => row.target === "OMS platform (menu)");
  const ceiling = platform && platform.perSecond > 0 ? platform.perSecond / rpcHopsPerOrder : undefined;
  const rows: ResultRow[] = [
    {
      target: "CreateOrder",
      protocol: "Connect JSON, HTTP/1.1",
      perSecond: result.create.requestsPerSecond,
      unit: "order",
      p50Ms: result.create.p50Ms,
      p99Ms: result.create.p99Ms,
      cpuMicrosPerOp: cpuPerOp({ serverCpuMicros: result.serverCpuMicrosInWindow ?? result.serverCpuMicros, requests: result.created }),
      errors: result.create.errors + result.create.non2xx,
      ...(ceiling ? { ratio: result.create.requestsPerSecond / ceiling, baseline: "ceiling from (1)" } : {}),
      note: `${rpcHopsPerOrder} RPC hops per order`,
    },
    {
      target: "orders to READY",
      protocol: "RPC + in-memory events",
      perSecond: result.readyPerSecond,
      unit: "order",
      p50Ms: result.toReadyP50Ms,
      p99Ms: result.toReadyP99Ms,
      ...(ceiling ? { ratio: result.readyPerSecond / ceiling, baseline: "ceiling from (1)" } : {}),
      note: `${result.ready} of ${result.created} orders READY; ${result.readyPerSecondInWindow.toFixed(0)}/s inside the window`,
    },
  ];
  const statuses = Object.entries(result.statuses).map(([status, count]) => `${status.replace("ORDER_STATUS_", "")} ${count}`).join(", ");
  const notes = [
    `one order = CreateOrder (caller -> order) + GetItems (order -> menu) + ReserveItems (order -> stock) = ${rpcHopsPerOrder} RPC hops, all five services on one event loop; then order.created -> payment, payment.link_created / payment.succeeded -> order, order.paid -> stock, kitchen, payment, kitchen.ticket_started / ticket_ready -> order over the in-memory bus`,
    ceiling
      ? `ceiling from (1): ${platform!.perSecond.toFixed(0)} req/s / ${rpcHopsPerOrder} hops = ${ceiling.toFixed(0)} orders/s ("vs baseline" is against it)`
      : "no ceiling: suite 1 did not measure the platform server in this run",
    ...cpuNotes(result, platform?.cpuMicrosPerOp),
    `p50/p99 of "orders to READY" are per order from create_time to the READY update_time; final statuses of measured orders: ${statuses}; drained in ${result.drainedInSeconds.toFixed(1)} s`,
    `settings: ${Object.entries(embeddedBenchEnv).map(([key, value]) => `${key}=${value}`).join(" ")}`,
  ];
  return { name: "e2e", title, rows, notes };
}

/**
 * What one order costs the system in CPU, per order created in the window:
 * the window's CPU (a steady state: orders of the warm-up still finishing
 * in it stand for the window's own finishing after it), and the window plus
 * the drain, which also charges the ListOrders sweeps that follow every
 * measured order to READY (bench work, not the orders').
 */
function cpuNotes(result: CreateOrderResult & ServerCpu, rpcCallMicros: number | undefined): string[] {
  if (result.serverCpuMicros === undefined || result.created === 0) return [];
  const perOrder = (micros: number) => (micros / result.created).toFixed(0);
  const inWindow = result.serverCpuMicrosInWindow;
  const hops = rpcCallMicros ? `; against ${rpcHopsPerOrder} x ${rpcCallMicros.toFixed(0)} µs = ${(rpcHopsPerOrder * rpcCallMicros).toFixed(0)} µs for ${rpcHopsPerOrder} GetItems-sized calls in (1) (the peer calls also pay the client side)` : "";
  return [
    `CPU per order, all five services in one process: ${inWindow === undefined ? "-" : perOrder(inWindow)} µs over the measured window (the column)${hops}; ${perOrder(result.serverCpuMicros)} µs counting the drain too, whose ${result.sweeps} ListOrders sweep${result.sweeps === 1 ? "" : "s"} over every measured order ${result.sweeps === 1 ? "is" : "are"} the bench's, not the orders'`,
  ];
}
