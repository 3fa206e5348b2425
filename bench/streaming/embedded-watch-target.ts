import { startAll } from "@oms/all-in-one";
import { demoDishes } from "@oms/all-in-one/demo-menu";
import { childPayload, stopWhenAsked, tellParent } from "../lib/child.js";
import { answerMemoryWhenAsked } from "./memory.js";

/** What the streaming suite passes: how many orders to place (each then watched by one idle stream). */
export interface EmbeddedWatchPlan {
  orders: number;
}

/**
 * The embedded mode as `pnpm start` runs it (five services in one process,
 * memory storage and bus), with `orders` orders placed and left awaiting
 * payment (no automatic payment): the real WatchOrder, idle on each.
 */
const plan = childPayload<EmbeddedWatchPlan>();
const system = await startAll({ randomPorts: true, env: { ...process.env } });
const authorization = `Bearer ${await system.issuer!.issue("bench-counter", "staff")}`;

async function call(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", authorization }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

const dish = demoDishes[0]!;
await call(`${system.services.stock.url}/oms.stock.v1.StockService/AdjustStock`, { itemId: dish.id, delta: plan.orders });
const orderIds: string[] = [];
const placeOrders = async (worker: number) => {
  for (let n = worker; n < plan.orders; n += 8) {
    const { order } = await call(`${system.services.order.url}/oms.order.v1.OrderService/CreateOrder`, {
      customerId: `bench-customer-${n}`,
      idempotencyKey: `bench-watch-${n}`,
      lines: [{ itemId: dish.id, quantity: 1 }],
    });
    orderIds.push((order as { id: string }).id);
  }
};
await Promise.all(Array.from({ length: 8 }, (_, worker) => placeOrders(worker)));
answerMemoryWhenAsked();
tellParent({ type: "ready", url: system.services.order.url, orderIds, authorization });
stopWhenAsked(() => system.close());
