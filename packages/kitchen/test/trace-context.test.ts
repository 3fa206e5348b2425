import { StaticRegistry } from "@oms/platform/discovery";
import { envelope, type EventEnvelope } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import { createTelemetry, TracedEventBus } from "@oms/platform/telemetry";
import { createTestBus, waitFor } from "@oms/platform/testing";
import { expect, it } from "vitest";
import { createKitchenService, readKitchenConfig } from "../src/service.js";

const traceId = "0af7651916cd43dd8448eb211c80319c";

/**
 * Cooks work outside any delivery: the events they raise must still
 * continue the trace of the order.paid that opened the ticket (platform
 * storage keeps it with the ticket; the ticket itself knows nothing of it).
 */
it("gives ticket_started and ticket_ready the trace of the order.paid that opened the ticket", async () => {
  const bus = createTestBus();
  const seen: EventEnvelope[] = [];
  await bus.subscribe({ queue: "observer", types: ["kitchen.ticket_started", "kitchen.ticket_ready"], handler: async (event) => void seen.push(event) });
  const kitchen = await createKitchenService({
    config: readKitchenConfig({ KITCHEN_PORT: "0", KITCHEN_COOKS: "1", KITCHEN_COOK_TIME: "5ms" }),
    bus: new TracedEventBus(bus, createTelemetry("kitchen")),
    registry: new StaticRegistry(),
    logger: createLogger("kitchen-test"),
  });
  await kitchen.start();
  try {
    const lines = [{ itemId: "i1", name: "Soup", quantity: 1 }];
    await bus.publish(envelope("order.paid", { orderId: newId(), lines }, { traceparent: `00-${traceId}-b7ad6b7169203331-01` }));
    await waitFor(() => (seen.length === 2 ? true : undefined));
    expect(seen.map((event) => [event.type, event.headers.traceparent?.split("-")[1]])).toEqual([
      ["kitchen.ticket_started", traceId],
      ["kitchen.ticket_ready", traceId],
    ]);
  } finally {
    await kitchen.stop();
    await bus.close();
  }
});
