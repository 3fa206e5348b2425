import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { StaticRegistry } from "@oms/platform/discovery";
import { decode, envelope, MemoryEventBus, type EventEnvelope } from "@oms/platform/events";
import { createLogger } from "@oms/platform/logging";
import { buildServer } from "@oms/platform/server";
import { waitFor } from "@oms/platform/testing";
import type { FastifyInstance } from "fastify";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeMock, type StripeMock } from "@oms/testkit/stripe-mock";
import { createPaymentService, readPaymentConfig } from "../src/service.js";

const webhookSecret = "whsec_service_test";

/** The whole payment service with PAYMENT_PROVIDER=stripe, its events on a bus and Stripe's API on stripe-mock. */
describe("the payment service with PAYMENT_PROVIDER=stripe", () => {
  let mock: StripeMock;
  let bus: MemoryEventBus;
  let server: FastifyInstance;
  let stop: () => Promise<void>;
  const seen: EventEnvelope[] = [];

  beforeAll(async () => {
    mock = await startStripeMock();
    bus = new MemoryEventBus();
    await bus.subscribe({ queue: "observer", types: ["payment.link_created", "payment.succeeded", "payment.failed"], handler: async (event) => void seen.push(event) });
    const config = readPaymentConfig({
      PAYMENT_PROVIDER: "stripe",
      STRIPE_SECRET_KEY: "sk_test_service",
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: `http://${mock.host}:${mock.port}`,
    });
    const module = await createPaymentService({ config, bus, registry: new StaticRegistry(), logger: createLogger("payment") });
    server = await buildServer(module.definition);
    await module.start();
    stop = async () => {
      await server.close();
      await module.stop();
    };
  });
  afterAll(async () => {
    await stop?.();
    await bus?.close();
    await mock?.stop();
  });

  const orderId = "01KDVDNA008K7ESVVT02STRIPE";
  const signed = (event: object) => {
    const payload = JSON.stringify(event);
    return { payload, headers: { "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }) } };
  };

  it("opens a Checkout Session for order.created, learns the payment from a signed webhook, refunds after a late cancel", async () => {
    await bus.publish(
      envelope("order.created", {
        orderId,
        customerId: "alice",
        lines: [{ itemId: "x", name: "Margherita", quantity: 2, unitPrice: { currencyCode: "EUR", amountMinor: 950n } }],
        total: { currencyCode: "EUR", amountMinor: 1900n },
        paymentDeadline: timestampFromDate(new Date(Date.now() + 15 * 60_000)),
      }),
    );
    const link = await waitFor(() => seen.find((event) => event.type === "payment.link_created"));
    const session = mock.requests.find((request) => request.method === "POST" && request.path === "/v1/checkout/sessions");
    expect(session?.form).toMatchObject({ mode: "payment", client_reference_id: orderId, "metadata[order_id]": orderId, "line_items[0][quantity]": "2" });
    const checkoutUrl = decode("payment.link_created", link).checkoutUrl;
    expect(checkoutUrl).toMatch(/^https?:\/\//);

    // Stripe sends the customer back to the checkout token's page, never one named by the payment id.
    const paymentId = decode("payment.link_created", link).paymentId;
    const returnPage = new URL(String(session?.form?.success_url));
    expect(returnPage.pathname).toMatch(/^\/checkout\/[A-Za-z0-9_-]{22}$/);
    expect(session?.form?.cancel_url).toBe(returnPage.href);
    expect(returnPage.href).not.toContain(paymentId);
    expect((await server.inject({ method: "GET", url: returnPage.pathname })).statusCode).toBe(200);
    // The simulated buttons do not exist for a Stripe payment.
    expect((await server.inject({ method: "POST", url: `${returnPage.pathname}/pay` })).statusCode).toBe(404);
    const bad = signed({ id: "evt_bad", object: "event", type: "checkout.session.completed", data: { object: {} } });
    expect((await server.inject({ method: "POST", url: "/webhooks/stripe", payload: bad.payload, headers: { ...bad.headers, "stripe-signature": "t=1,v1=00" } })).statusCode).toBe(400);

    const completed = signed({
      id: "evt_service_completed",
      object: "event",
      type: "checkout.session.completed",
      data: { object: { id: "cs_test_service", object: "checkout.session", payment_status: "paid", metadata: { order_id: orderId }, client_reference_id: orderId } },
    });
    const answer = await server.inject({ method: "POST", url: "/webhooks/stripe", payload: completed.payload, headers: completed.headers });
    expect(answer.statusCode).toBe(200);
    const succeeded = await waitFor(() => seen.find((event) => event.type === "payment.succeeded"));
    expect(decode("payment.succeeded", succeeded).orderId).toBe(orderId);

    // The order was cancelled at its deadline in the same instant (the race): the money goes back.
    mock.requests.length = 0;
    await bus.publish(envelope("order.cancelled", { orderId, reason: "payment deadline passed" }));
    await waitFor(() => mock.requests.find((request) => request.method === "POST" && request.path === "/v1/refunds"));
  });
});
