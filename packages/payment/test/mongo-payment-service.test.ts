import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { createClient, createRouterTransport } from "@connectrpc/connect";
import { PaymentService, PaymentStatus } from "@oms/contracts/payment/v1/payment";
import { StaticRegistry } from "@oms/platform/discovery";
import { envelope, MemoryEventBus, type EventEnvelope } from "@oms/platform/events";
import { newId } from "@oms/platform/ids";
import { createLogger } from "@oms/platform/logging";
import { buildServer, type ServiceModule } from "@oms/platform/server";
import { waitFor } from "@oms/platform/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferretDbAvailable, startFerretDb, type RunningFerretDb } from "@oms/testkit/ferretdb";
import { createPaymentService, readPaymentConfig } from "../src/service.js";

describe.skipIf(!ferretDbAvailable())("the payment service on MongoDB", () => {
  let server: RunningFerretDb;
  let bus: MemoryEventBus;
  const links: EventEnvelope[] = [];

  beforeAll(async () => {
    server = await startFerretDb();
    bus = new MemoryEventBus();
    await bus.subscribe({ queue: "observer", types: ["payment.link_created", "payment.succeeded"], handler: async (event) => void links.push(event) });
  });
  afterAll(async () => {
    await bus?.close();
    await server?.stop();
  });

  async function payment(): Promise<ServiceModule> {
    const config = readPaymentConfig({ PAYMENT_PORT: "0", MONGODB_URL: `${server.url}payment_restart` });
    const module = await createPaymentService({ config, bus, registry: new StaticRegistry(), logger: createLogger("payment-test") });
    await module.start();
    return module;
  }

  it("keeps payments across a restart: the checkout opened before it is paid after it, once", async () => {
    const orderId = newId();
    const first = await payment();
    await bus.publish(
      envelope("order.created", {
        orderId,
        customerId: "c",
        lines: [{ itemId: "i", name: "Soup", quantity: 1, unitPrice: { currencyCode: "EUR", amountMinor: 650n } }],
        total: { currencyCode: "EUR", amountMinor: 650n },
        paymentDeadline: timestampFromDate(new Date(Date.now() + 60_000)),
      }),
    );
    await waitFor(() => links.find((event) => event.type === "payment.link_created"));
    await first.stop();

    const second = await payment();
    const client = createClient(PaymentService, createRouterTransport(second.definition.routes));
    const stored = (await client.getPayment({ orderId })).payment!;
    expect(stored.status).toBe(PaymentStatus.AWAITING_CUSTOMER);
    const app = await buildServer(second.definition);
    // The checkout token was stored with the payment: the link handed out before the restart still works.
    const paid = await app.inject({ method: "POST", url: `${new URL(stored.checkoutUrl).pathname}/pay` });
    expect(paid.statusCode).toBe(303);
    await waitFor(() => links.find((event) => event.type === "payment.succeeded"));
    expect((await client.getPayment({ orderId })).payment!.status).toBe(PaymentStatus.SUCCEEDED);
    expect(links.filter((event) => event.type === "payment.link_created")).toHaveLength(1);
    await app.close();
    await second.stop();
  });
});
