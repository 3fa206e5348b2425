import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Fastify, { type FastifyInstance } from "fastify";
import type Stripe from "stripe";
import { AggregateOutboxStore } from "@oms/platform/events";
import { startStripeMock, type StripeMock } from "@oms/testkit/stripe-mock";
import { MemoryPaymentRepository } from "../src/adapters/memory-payment-repository.js";
import { paymentEventBody } from "../src/adapters/payment-event-bodies.js";
import { createStripeClient, StripePaymentProvider } from "../src/adapters/stripe-provider.js";
import { MemoryProcessedStripeEvents, stripeWebhookRoutes } from "../src/adapters/stripe-webhook.js";
import { createPaymentApp, type PaymentApp } from "../src/app/payment-app.js";

const secret = "whsec_flow_secret";
const now = new Date("2026-11-25T12:00:00Z");

/** The payment use cases on the Stripe adapters, wired the way service.ts wires them, against stripe-mock. */
describe("payments through Stripe, from order.created to the webhook", () => {
  let mock: StripeMock;
  let stripe: Stripe;
  let repository: MemoryPaymentRepository;
  let app: PaymentApp;
  let server: FastifyInstance;
  let published: string[];
  let orderCount = 0;

  const nextOrderId = () => `01JORDERFLOW0000000000000${String(++orderCount).padStart(1, "0")}`;

  async function open(orderId: string) {
    return app.openCheckout.execute({
      orderId,
      lines: [{ name: "Tomato soup", quantity: 2, unitPriceMinor: 450 }],
      total: { currencyCode: "EUR", amountMinor: 900 },
      paymentDeadline: new Date(now.getTime() + 15 * 60_000),
    });
  }

  async function deliver(type: string, orderId: string, sessionId: string, overrides: Record<string, unknown> = {}) {
    const object = { id: sessionId, object: "checkout.session", metadata: { order_id: orderId }, client_reference_id: orderId, ...overrides };
    const payload = JSON.stringify({ id: `evt_flow_${orderId}_${type}`, object: "event", type, data: { object } });
    const response = await server.inject({
      method: "POST",
      url: "/webhooks/stripe",
      headers: { "content-type": "application/json", "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret }) },
      payload,
    });
    return response.statusCode;
  }

  beforeAll(async () => {
    mock = await startStripeMock();
    stripe = createStripeClient({ secretKey: "sk_test_flow", webhookSecret: secret, api: { host: mock.host, port: mock.port, protocol: "http" } });
  });
  afterAll(async () => mock?.stop());

  beforeEach(async () => {
    published = [];
    repository = new MemoryPaymentRepository();
    const outbox = new AggregateOutboxStore(repository, paymentEventBody);
    const provider = new StripePaymentProvider(stripe, ({ checkoutToken }) => ({
      successUrl: `http://localhost:8084/checkout/${checkoutToken}`,
      cancelUrl: `http://localhost:8084/checkout/${checkoutToken}`,
    }));
    app = createPaymentApp({
      repository,
      provider,
      providerName: "stripe",
      clock: () => now,
      // Stands in for the OutboxRelay: publishes what the save put in the outbox.
      publish: async () => {
        for (const { aggregateId, events } of await outbox.pendingOutbox(100)) {
          published.push(...events.map((event) => event.type));
          await outbox.markPublished(aggregateId, events.map((event) => event.id));
        }
      },
    });
    server = Fastify();
    await server.register(
      stripeWebhookRoutes({
        stripe,
        webhookSecret: secret,
        processed: new MemoryProcessedStripeEvents(),
        onPaid: ({ orderId }) => app.recordPaymentSucceeded.execute({ orderId }),
        onFailed: ({ orderId, reason }) => app.recordPaymentFailed.execute({ orderId }, reason),
      }),
    );
    mock.requests.length = 0;
    return () => server.close();
  });

  it("opens a Checkout Session for a new order and publishes its link", async () => {
    const payment = await open(nextOrderId());

    expect(payment.status).toBe("AWAITING_CUSTOMER");
    expect(payment.providerReference).toMatch(/^cs_/);
    expect(payment.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(published).toEqual(["payment.link_created"]);
    expect(mock.requests.map((request) => request.headers["idempotency-key"])).toEqual([`oms-checkout-${payment.orderId}`]);
  });

  it("opens one session however often order.created arrives", async () => {
    const orderId = nextOrderId();
    await open(orderId);
    await open(orderId);

    expect(mock.requests.filter((request) => request.path === "/v1/checkout/sessions")).toHaveLength(1);
  });

  it("records a paid session as succeeded and publishes payment.succeeded once", async () => {
    const payment = await open(nextOrderId());
    published.length = 0;

    expect(await deliver("checkout.session.completed", payment.orderId, payment.providerReference, { payment_status: "paid" })).toBe(200);
    expect(await deliver("checkout.session.completed", payment.orderId, payment.providerReference, { payment_status: "paid" })).toBe(200);

    expect((await repository.get(payment.id))?.status).toBe("SUCCEEDED");
    expect(published).toEqual(["payment.succeeded"]);
  });

  it("records an expired session as failed and publishes payment.failed", async () => {
    const payment = await open(nextOrderId());
    published.length = 0;

    expect(await deliver("checkout.session.expired", payment.orderId, payment.providerReference)).toBe(200);

    const stored = await repository.get(payment.id);
    expect([stored?.status, stored?.failureReason]).toEqual(["FAILED", "the checkout expired before payment"]);
    expect(published).toEqual(["payment.failed"]);
  });

  it("expires the open session when the order is cancelled before payment", async () => {
    const payment = await open(nextOrderId());
    mock.requests.length = 0;

    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" })).toBe("cancelled");

    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([`POST /v1/checkout/sessions/${payment.providerReference}/expire`]);
    expect((await repository.get(payment.id))?.status).toBe("CANCELLED");
  });

  it("refunds a payment completed for an order already cancelled, records it, and publishes no success", async () => {
    const payment = await open(nextOrderId());
    await app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" });
    published.length = 0;
    mock.requests.length = 0;

    expect(await deliver("checkout.session.completed", payment.orderId, payment.providerReference, { payment_status: "paid" })).toBe(200);

    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /v1/checkout/sessions/${payment.providerReference}`,
      "POST /v1/refunds",
    ]);
    expect(mock.requests[1]!.form.amount).toBe("900");
    const stored = await repository.get(payment.id);
    expect(stored?.status).toBe("REFUNDED");
    expect(stored?.refundReference).toMatch(/^re_/);
    expect(published).toEqual([]);
  });

  it("acknowledges a session for an order this service does not know", async () => {
    expect(await deliver("checkout.session.completed", "01JSOMEONEELSE000000000000", "cs_test_foreign", { payment_status: "paid" })).toBe(200);
  });
});
