import { startAutocannon } from "../lib/autocannon.js";
import { childPayload, fromParent, tellParent } from "../lib/child.js";
import { LatencyRecorder } from "../lib/latency.js";
import type { LoadResult } from "./http-load.js";

/** What the parent asks: CreateOrder load, then the orders followed to READY. */
export interface CreateOrderPlan {
  orderUrl: string;
  itemIds: string[];
  /** A staff token's header: staff place orders naming the customer. */
  authorization: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  /** How long to wait, after the load, for the pipeline to carry every order to READY. */
  drainSeconds: number;
}

/** What it reports. */
export interface CreateOrderResult {
  create: LoadResult;
  /** Orders created in the measured window (some answered after it closed), by final status. */
  statuses: Record<string, number>;
  created: number;
  ready: number;
  /** READY orders per second from the first order created to the last one READY. */
  readyPerSecond: number;
  /** READY orders whose READY time fell inside the measured window, per second of it. */
  readyPerSecondInWindow: number;
  /** CreateOrder sent to READY, per order. */
  toReadyP50Ms: number;
  toReadyP99Ms: number;
  drainedInSeconds: number;
  /** How many times the drain listed every measured order (ListOrders pages) before none was on its way. */
  sweeps: number;
}

interface OrderJson {
  id: string;
  status: string;
  createTime?: string;
  updateTime?: string;
}

const plan = childPayload<CreateOrderPlan>();
const createPath = "/oms.order.v1.OrderService/CreateOrder";

async function call(path: string, body: unknown): Promise<Record<string, any>> {
  const response = await fetch(`${plan.orderUrl}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: plan.authorization }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, any>;
}

/** Every order of one customer, through ListOrders pages. */
async function ordersOf(customerId: string): Promise<OrderJson[]> {
  const orders: OrderJson[] = [];
  let pageToken = "";
  do {
    const page = await call("/oms.order.v1.OrderService/ListOrders", { customerId, pageSize: 100, pageToken });
    orders.push(...((page.orders ?? []) as OrderJson[]));
    pageToken = page.nextPageToken ?? "";
  } while (pageToken);
  return orders;
}

/** CreateOrder load with autocannon; one line of one dish (rotating), a unique idempotency key per request. */
async function load(customerId: string, seconds: number, latency: LatencyRecorder | undefined): Promise<LoadResult> {
  let counter = 0;
  const instance = startAutocannon({
    url: plan.orderUrl,
    connections: plan.connections,
    duration: seconds,
    requests: [
      {
        method: "POST",
        path: createPath,
        headers: { "content-type": "application/json", authorization: plan.authorization },
        setupRequest: (request) => {
          const n = counter++;
          const lines = [{ itemId: plan.itemIds[n % plan.itemIds.length], quantity: 1 }];
          return { ...request, body: JSON.stringify({ customerId, idempotencyKey: `${customerId}-${n}`, lines }) };
        },
      },
    ],
  });
  let non2xx = 0;
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, milliseconds: number) => {
    if (statusCode < 200 || statusCode > 299) non2xx++;
    else latency?.record(milliseconds);
  });
  const result = await instance;
  const { p50, p99 } = latency?.percentiles() ?? { p50: 0, p99: 0 };
  const measured = result.duration || seconds;
  return { requestsPerSecond: (result.requests.total - non2xx) / measured, p50Ms: p50, p99Ms: p99, requests: result.requests.total, errors: result.errors + result.timeouts, non2xx, seconds: measured };
}

const run = `bench-${process.pid}-${Date.now()}`;
// One order first: fails fast, with the server's message, if the system cannot take orders at all.
await call(createPath, { customerId: `${run}-check`, idempotencyKey: `${run}-check`, lines: [{ itemId: plan.itemIds[0], quantity: 1 }] });
if (plan.warmupSeconds > 0) await load(`${run}-warmup`, plan.warmupSeconds, undefined);
tellParent({ type: "measuring" });
const windowStart = Date.now();
const create = await load(run, plan.durationSeconds, new LatencyRecorder());
const windowEnd = Date.now();
// The parent reads the system's CPU here, before the orders are followed: the window's CPU is the orders' alone.
const windowRead = fromParent("window-read");
tellParent({ type: "window-end" });
await windowRead;

// Follow the measured orders until none is still on its way to READY (or the drain time runs out).
const inFlight = new Set(["ORDER_STATUS_PENDING", "ORDER_STATUS_AWAITING_PAYMENT", "ORDER_STATUS_PAID", "ORDER_STATUS_PREPARING"]);
const drainDeadline = Date.now() + plan.drainSeconds * 1000;
let orders = await ordersOf(run);
let sweeps = 1;
while (orders.some((order) => inFlight.has(order.status)) && Date.now() < drainDeadline) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  orders = await ordersOf(run);
  sweeps++;
}
const drainedInSeconds = (Date.now() - windowEnd) / 1000;

const statuses: Record<string, number> = {};
for (const order of orders) statuses[order.status] = (statuses[order.status] ?? 0) + 1;
const ready = orders.filter((order) => order.status === "ORDER_STATUS_READY" && order.createTime && order.updateTime);
const toReady = new LatencyRecorder();
let firstCreated = Number.POSITIVE_INFINITY;
let lastReady = 0;
let readyInWindow = 0;
for (const order of ready) {
  const created = Date.parse(order.createTime!);
  const readyAt = Date.parse(order.updateTime!);
  toReady.record(readyAt - created);
  firstCreated = Math.min(firstCreated, created);
  lastReady = Math.max(lastReady, readyAt);
  if (readyAt >= windowStart && readyAt <= windowEnd) readyInWindow++;
}
const { p50, p99 } = toReady.percentiles();
const result: CreateOrderResult = {
  create,
  statuses,
  created: orders.length,
  ready: ready.length,
  readyPerSecond: ready.length > 0 ? ready.length / Math.max(0.001, (lastReady - firstCreated) / 1000) : 0,
  readyPerSecondInWindow: readyInWindow / ((windowEnd - windowStart) / 1000),
  toReadyP50Ms: p50,
  toReadyP99Ms: p99,
  drainedInSeconds,
  sweeps,
};
tellParent({ type: "result", result });
process.exit(0);
