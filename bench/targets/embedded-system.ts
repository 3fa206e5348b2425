import { startAll } from "@oms/all-in-one";
import { demoDishes } from "@oms/all-in-one/demo-menu";
import { childPayload, stopWhenAsked, tellParent } from "../lib/child.js";

/** What the end-to-end suite passes: environment overrides for the five services. */
export interface EmbeddedPlan {
  env: Record<string, string>;
  /** Units added to every demo dish's stock (AdjustStock takes at most 100,000 at once), so the run never sells out. */
  extraStock: number;
}

/**
 * The embedded mode as `pnpm start` runs it (five services in one process, each
 * on its own port, in-memory storage and bus), with instant cooking and
 * automatic payment so an order runs to READY with no human in the loop.
 */
const plan = childPayload<EmbeddedPlan>();
const system = await startAll({ randomPorts: true, env: { ...process.env, ...plan.env } });
// The load places orders for its customers as the counter would: a staff token from the development issuer.
const authorization = `Bearer ${await system.issuer!.issue("bench-counter", "staff")}`;
for (const dish of demoDishes) {
  const response = await fetch(`${system.services.stock.url}/oms.stock.v1.StockService/AdjustStock`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization },
    body: JSON.stringify({ itemId: dish.id, delta: plan.extraStock }),
  });
  if (!response.ok) throw new Error(`AdjustStock ${dish.id}: ${response.status} ${await response.text()}`);
}
tellParent({
  type: "ready",
  url: system.services.order.url,
  services: Object.fromEntries(Object.entries(system.services).map(([name, service]) => [name, service.url])),
  itemIds: demoDishes.map((dish) => dish.id),
  authorization,
});
stopWhenAsked(() => system.close());
