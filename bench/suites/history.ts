import { newId } from "@oms/platform/ids";
import { DishOrder, DishOrders } from "../lib/history-store.js";
import type { BenchOptions } from "../lib/options.js";
import { withRatios, type ResultRow, type SuiteResult } from "../lib/results.js";

const histories = [1_000, 10_000, 100_000] as const;
const inFlight = 20;
const customers = 1_000;

/**
 * Part 5: does an order cost the same with 1k or 100k orders stored? One
 * order's life as the services' stores see it (create, the relay reading and
 * marking its event, the claim of open work, the change and its event, the
 * first page of ListOrders and of one customer's orders, the status gauge)
 * on the memory store with N orders already stored (90 % finished, 20 in
 * flight), against the same queries as the full scans they were before the
 * store kept indexes. In process, no server: this measures the store alone.
 */
export async function history(options: BenchOptions): Promise<SuiteResult> {
  const rows: ResultRow[] = [];
  const pages: ResultRow[] = [];
  for (const stored of histories) {
    process.stderr.write(`[history] ${stored.toLocaleString("en")} orders stored...\n`);
    const store = await seeded(stored);
    const indexed = await perLife(store, options, (order) => lifeWithIndexes(store, order));
    const scanned = await perLife(store, options, (order) => lifeWithScans(store, order));
    rows.push(row(`indexed, ${stored.toLocaleString("en")} stored`, indexed));
    rows.push(row(`full scans, ${stored.toLocaleString("en")} stored`, scanned));
    // A ListTickets page from the middle of the finished ones (the kitchen's memory adapter reads tickets so).
    const middle = store.statusPageAfter("DONE", "", Math.floor(stored / 2)).at(-1)!.id;
    const paged = perCall(options, () => store.statusPageAfter("DONE", middle, 21));
    const sortedAll = perCall(options, () => store.scanStatusPageAfter("DONE", middle, 21));
    pages.push(row(`ListTickets page, ${stored.toLocaleString("en")} stored`, paged, "page"));
    pages.push(row(`ListTickets sorting all, ${stored.toLocaleString("en")} stored`, sortedAll, "page"));
  }
  return {
    name: "history",
    title: "Cost flat as history grows: one order's life on the memory store",
    rows: [...withRatios(rows, "indexed, 1,000 stored"), ...withRatios(pages, "ListTickets page, 1,000 stored")],
    notes: [
      `${inFlight} orders in flight, the rest finished; ${customers} customers; CPU of this process per order life, after a warm-up`,
      "indexed: the store as the services use it (status and customer indexes, ids in order, pending outbox set); full scans: the same answers by scanning every record, as before",
      "ListTickets page: 21 finished records (one page and the look-ahead) after one in the middle, through the status index kept in id order; sorting all: the same page cut from every finished record sorted, as ListTickets read them before it paged",
      "MongoDB: the services declare the matching indexes (status, customer, outbox); FerretDB scans regardless (README), so no scale figures are taken on it",
    ],
  };
}

async function seeded(stored: number): Promise<DishOrders> {
  const store = new DishOrders();
  const now = new Date();
  for (let index = 0; index < stored; index++) {
    const order = DishOrder.open(newId(), `customer-${index % customers}`, now);
    await store.create(order);
    if (index < stored - inFlight) await store.update(order.id, (current) => current.finish(now));
    await store.markPublished(order.id, (await store.get(order.id))!.outbox.map((event) => event.id));
  }
  return store;
}

/** CPU µs per order life: a warm-up, then as many lives as fit in the measured seconds (at most 2,000). */
async function perLife(store: DishOrders, options: BenchOptions, life: (order: DishOrder) => Promise<void>): Promise<number> {
  const run = async (count: number, seconds: number) => {
    const until = Date.now() + seconds * 1_000;
    let lives = 0;
    const start = process.cpuUsage();
    while (lives < count && Date.now() < until) {
      await life(DishOrder.open(newId(), `customer-${lives % customers}`, new Date()));
      lives++;
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / Math.max(lives, 1);
  };
  await run(200, Math.min(options.warmupSeconds, 2));
  return run(2_000, Math.min(options.durationSeconds, 5));
}

async function lifeWithIndexes(store: DishOrders, order: DishOrder): Promise<void> {
  await store.create(order);
  await publish(store, await store.pendingOutbox(100));
  const [open] = store.open();
  await store.update(open?.id ?? order.id, (current) => current.finish(new Date()));
  await publish(store, await store.pendingOutbox(100));
  store.firstPage(20);
  store.customerPage("customer-7", 21);
  store.statusCounts();
  // Keep the in-flight count steady: this order stays open in place of the one finished.
}

async function lifeWithScans(store: DishOrders, order: DishOrder): Promise<void> {
  await store.create(order);
  store.scanPending();
  await publish(store, await store.pendingOutbox(100));
  const [open] = store.scanOpen();
  await store.update(open?.id ?? order.id, (current) => current.finish(new Date()));
  store.scanPending();
  await publish(store, await store.pendingOutbox(100));
  store.scanFirstPage(20);
  store.scanCustomerPage("customer-7", 21);
  store.scanStatusCounts();
}

async function publish(store: DishOrders, pending: Awaited<ReturnType<DishOrders["pendingOutbox"]>>): Promise<void> {
  for (const { aggregateId, events } of pending) await store.markPublished(aggregateId, events.map((event) => event.id));
}

/** CPU µs per call of a query: a warm-up, then as many calls as fit in the measured seconds (at most 2,000). */
function perCall(options: BenchOptions, query: () => unknown): number {
  const run = (count: number, seconds: number) => {
    const until = Date.now() + seconds * 1_000;
    let calls = 0;
    const start = process.cpuUsage();
    while (calls < count && Date.now() < until) {
      query();
      calls++;
    }
    const used = process.cpuUsage(start);
    return (used.user + used.system) / Math.max(calls, 1);
  };
  run(200, Math.min(options.warmupSeconds, 2));
  return run(2_000, Math.min(options.durationSeconds, 5));
}

function row(target: string, micros: number, unit = "order"): ResultRow {
  return { target, protocol: "in process", perSecond: 1_000_000 / micros, unit, cpuMicrosPerOp: micros };
}
