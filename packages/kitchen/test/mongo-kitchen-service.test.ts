import { createClient, createRouterTransport } from "@connectrpc/connect";
import { KitchenService, TicketStatus } from "@oms/contracts/kitchen/v1/kitchen";
import { StaticRegistry } from "@oms/platform/discovery";
import { MemoryEventBus, decode, envelope, type EventEnvelope } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import type { ServiceModule } from "@oms/platform/server";
import { waitFor } from "@oms/platform/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { createKitchenService, readKitchenConfig } from "../src/service.js";

describe.skipIf(!ferretDbAvailable())("the kitchen service on MongoDB", () => {
  let server: RunningFerretDb;
  let bus: MemoryEventBus;
  const modules: ServiceModule[] = [];
  const ready: EventEnvelope[] = [];

  beforeAll(async () => {
    server = await startFerretDb();
    bus = new MemoryEventBus();
    await bus.subscribe({ queue: "observer", types: ["kitchen.ticket_ready"], handler: async (event) => void ready.push(event) });
  });
  afterAll(async () => {
    for (const module of modules) await module.stop().catch(() => undefined);
    await bus?.close();
    await server?.stop();
  });

  async function kitchen(cookTime: string): Promise<ServiceModule> {
    const config = readKitchenConfig({
      KITCHEN_PORT: "0",
      KITCHEN_COOKS: "1",
      KITCHEN_COOK_TIME: cookTime,
      KITCHEN_ID: "kitchen-on-mongo",
      MONGODB_URL: `${server.url}kitchen_restart`,
    });
    const module = await createKitchenService({ config, bus, registry: new StaticRegistry(), logger: createLogger("kitchen-test") });
    modules.push(module);
    await module.start();
    return module;
  }

  it("cooks a ticket a crashed kitchen left COOKING after the next start, and announces it ready exactly once", async () => {
    const crashed = await kitchen("1h");
    const orderId = newId();
    await bus.publish(envelope("order.paid", { orderId, lines: [{ itemId: "i1", name: "Soup", quantity: 1 }] }));
    const client = createClient(KitchenService, createRouterTransport(crashed.definition.routes));
    // The first kitchen took it and is "cooking" for an hour when it crashes (it is never stopped cleanly here).
    await waitFor(async () => (await client.getTicket({ orderId }).catch(() => undefined))?.ticket?.status === TicketStatus.COOKING);
    const next = await kitchen("5ms");
    await waitFor(() => ready.find((event) => decode("kitchen.ticket_ready", event).orderId === orderId), { timeoutMs: 10_000 });
    await crashed.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // One decision: both kitchens' relays may publish it (at least once), always with the same event id.
    const decisions = new Set(ready.filter((event) => decode("kitchen.ticket_ready", event).orderId === orderId).map((event) => event.id));
    expect(decisions.size).toBe(1);
    await next.stop();
  });
});
