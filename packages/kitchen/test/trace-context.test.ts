import { StaticRegistry } from "@oms/platform/discovery";
import { envelope, type EventEnvelope, type MemoryEventBus } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import type { ServiceModule } from "@oms/platform/server";
import { createTelemetry, TracedEventBus } from "@oms/platform/telemetry";
import { createTestBus, waitFor } from "@oms/platform/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKitchenService, readKitchenConfig } from "../src/service.js";

const traceId = "0af7651916cd43dd8448eb211c80319c";

/**
 * Cooks work outside any delivery: the events they raise must still
 * continue the trace of the order.paid that opened the ticket (platform
 * storage keeps it with the ticket; the ticket itself knows nothing of it).
 */
describe("trace context of kitchen events", () => {
  let bus: MemoryEventBus;
  let module: ServiceModule;
  const seen: EventEnvelope[] = [];

  beforeAll(async () => {
    bus = createTestBus();
    await bus.subscribe({ queue: "observer", types: ["kitchen.ticket_started", "kitchen.ticket_ready"], handler: async (event) => void seen.push(event) });
    const config = readKitchenConfig({ KITCHEN_PORT: "0", KITCHEN_COOKS: "1", KITCHEN_COOK_TIME: "5ms" });
    const traced = new TracedEventBus(bus, createTelemetry("kitchen"));
    module = await createKitchenService({ config, bus: traced, registry: new StaticRegistry(), logger: createLogger("kitchen-test") });
    await module.start();
  });
  afterAll(async () => {
    await module?.stop();
    await bus?.close();
  });

  it("gives ticket_started and ticket_ready the trace of the order.paid that opened the ticket", async () => {
    const paid = envelope("order.paid", { orderId: newId(), lines: [{ itemId: "i1", name: "Soup", quantity: 1 }] }, { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    await bus.publish(paid);
    await waitFor(() => (seen.length === 2 ? true : undefined));
    expect(seen.map((event) => [event.type, event.headers.traceparent?.split("-")[1]])).toEqual([
      ["kitchen.ticket_started", traceId],
      ["kitchen.ticket_ready", traceId],
    ]);
  });
});
