import { StaticRegistry } from "@oms/platform/discovery";
import { decode, envelope, type EventEnvelope, type MemoryEventBus } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import { buildServer, type ServiceModule } from "@oms/platform/server";
import { createTelemetry, TracedEventBus } from "@oms/platform/telemetry";
import { createTestBus, waitFor } from "@oms/platform/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPaymentService, readPaymentConfig } from "../src/service.js";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const traceIdOf = (event: EventEnvelope) => event.headers.traceparent?.split("-")[1];

/**
 * The payment service as it runs in a process: its bus traced, so a delivery's
 * handler runs in the trace its headers carry. The checkout page has no
 * incoming trace context; the payment's stored one must be used.
 */
describe("trace context of payment events", () => {
  let bus: MemoryEventBus;
  let module: ServiceModule;
  let server: FastifyInstance;
  const seen: EventEnvelope[] = [];

  beforeAll(async () => {
    bus = createTestBus();
    await bus.subscribe({ queue: "observer", types: ["payment.link_created", "payment.succeeded"], handler: async (event) => void seen.push(event) });
    const config = readPaymentConfig({ PAYMENT_PORT: "0" });
    const traced = new TracedEventBus(bus, createTelemetry("payment"));
    module = await createPaymentService({ config, bus: traced, registry: new StaticRegistry(), logger: createLogger("payment-test") });
    server = await buildServer(module.definition);
    await module.start();
  });
  afterAll(async () => {
    await server?.close();
    await module?.stop();
    await bus?.close();
  });

  it("continues the trace of order.created in payment.link_created and, after Pay on the page, payment.succeeded", async () => {
    const orderId = newId();
    // As the order service's relay publishes it: the order's trace in the event's headers.
    await bus.publish(
      envelope(
        "order.created",
        {
          orderId,
          customerId: "alice",
          lines: [{ itemId: "i1", name: "Margherita", quantity: 1, unitPrice: { currencyCode: "EUR", amountMinor: 950n } }],
          total: { currencyCode: "EUR", amountMinor: 950n },
        },
        { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      ),
    );
    const link = await waitFor(() => seen.find((event) => event.type === "payment.link_created" && decode("payment.link_created", event).orderId === orderId));
    expect(traceIdOf(link)).toBe(traceId);

    const page = new URL(decode("payment.link_created", link).checkoutUrl).pathname;
    const paid = await server.inject({ method: "POST", url: `${page}/pay` });
    expect(paid.statusCode).toBe(303);
    const succeeded = await waitFor(() => seen.find((event) => event.type === "payment.succeeded" && decode("payment.succeeded", event).orderId === orderId));
    expect(traceIdOf(succeeded)).toBe(traceId);
  });

  it("raises events without trace headers when order.created carried none", async () => {
    const orderId = newId();
    await bus.publish(
      envelope("order.created", {
        orderId,
        customerId: "bob",
        lines: [{ itemId: "i1", name: "Soup", quantity: 1, unitPrice: { currencyCode: "EUR", amountMinor: 650n } }],
        total: { currencyCode: "EUR", amountMinor: 650n },
      }),
    );
    const link = await waitFor(() => seen.find((event) => event.type === "payment.link_created" && decode("payment.link_created", event).orderId === orderId));
    // The publish span still gives it a traceparent, but not the other order's trace.
    expect(traceIdOf(link)).not.toBe(traceId);
  });
});
