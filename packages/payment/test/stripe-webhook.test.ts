import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Fastify, { type FastifyInstance } from "fastify";
import Stripe from "stripe";
import { startStripeMock, type StripeMock } from "@oms/testkit/stripe-mock";
import {
  MemoryProcessedStripeEvents,
  stripeWebhookRoutes,
  type CheckoutOutcome,
} from "../src/adapters/stripe-webhook.js";

const secret = "whsec_test_secret";
const orderId = "01JORDER00000000000000000A";

describe("POST /webhooks/stripe", () => {
  let mock: StripeMock;
  let stripe: Stripe;
  /** A Checkout Session exactly as the Stripe API shapes it (stripe-mock's fixture). */
  let sessionFixture: Stripe.Checkout.Session;
  let app: FastifyInstance;
  let paid: CheckoutOutcome[];
  let failed: (CheckoutOutcome & { reason: string })[];
  let failNext: Error | undefined;
  let processed: MemoryProcessedStripeEvents;
  let eventCount = 0;

  function session(overrides: Partial<Stripe.Checkout.Session> = {}): Stripe.Checkout.Session {
    return { ...sessionFixture, id: "cs_test_order_a", metadata: { order_id: orderId }, client_reference_id: orderId, ...overrides };
  }

  function event(type: string, object: unknown, id = `evt_test_${++eventCount}`): string {
    return JSON.stringify({ id, object: "event", api_version: "2026-10-28.endive", created: 1_764_000_000, type, data: { object }, livemode: false, pending_webhooks: 1, request: { id: null, idempotency_key: null } });
  }

  /** Posts `payload` signed with the right secret, or with `signature` (null: no header at all). */
  function deliver(payload: string, signature: string | null = stripe.webhooks.generateTestHeaderString({ payload, secret })) {
    return app.inject({
      method: "POST",
      url: "/webhooks/stripe",
      headers: { "content-type": "application/json; charset=utf-8", ...(signature === null ? {} : { "stripe-signature": signature }) },
      payload,
    });
  }

  beforeAll(async () => {
    mock = await startStripeMock();
    stripe = new Stripe("sk_test_123", { host: mock.host, port: mock.port, protocol: "http" });
    sessionFixture = await stripe.checkout.sessions.retrieve("cs_test_fixture");
  });
  afterAll(async () => mock?.stop());

  beforeEach(async () => {
    paid = [];
    failed = [];
    failNext = undefined;
    processed = new MemoryProcessedStripeEvents();
    app = Fastify();
    await app.register(
      stripeWebhookRoutes({
        stripe,
        webhookSecret: secret,
        processed,
        onPaid: async (outcome) => {
          if (failNext) throw failNext;
          paid.push(outcome);
        },
        onFailed: async (outcome) => {
          failed.push(outcome);
        },
      }),
    );
    // A sibling route: the raw-body parser must stay inside the webhook plugin.
    app.post("/echo", async (request) => request.body);
    await app.ready();
    return () => app.close();
  });

  it("reports a paid completed session as paid, and answers 200", async () => {
    const response = await deliver(event("checkout.session.completed", session({ payment_status: "paid", status: "complete" })));

    expect(response.statusCode).toBe(200);
    expect(paid).toEqual([{ orderId, sessionId: "cs_test_order_a" }]);
    expect(failed).toEqual([]);
  });

  it("finds the order through client_reference_id when metadata is missing", async () => {
    await deliver(event("checkout.session.completed", session({ payment_status: "paid", metadata: {} })));

    expect(paid).toEqual([{ orderId, sessionId: "cs_test_order_a" }]);
  });

  it("reports an expired session as failed", async () => {
    const response = await deliver(event("checkout.session.expired", session({ status: "expired" })));

    expect(response.statusCode).toBe(200);
    expect(failed).toEqual([{ orderId, sessionId: "cs_test_order_a", reason: "the checkout expired before payment" }]);
  });

  it("waits for the asynchronous outcome of a session completed unpaid, then reports it", async () => {
    await deliver(event("checkout.session.completed", session({ payment_status: "unpaid", status: "complete" })));
    expect(paid).toEqual([]);

    await deliver(event("checkout.session.async_payment_succeeded", session({ payment_status: "paid" })));
    await deliver(event("checkout.session.async_payment_failed", session({ id: "cs_test_other" })));

    expect(paid).toEqual([{ orderId, sessionId: "cs_test_order_a" }]);
    expect(failed).toEqual([{ orderId, sessionId: "cs_test_other", reason: "the payment did not go through" }]);
  });

  it("handles a redelivered event once and answers 200 both times", async () => {
    const payload = event("checkout.session.completed", session({ payment_status: "paid" }));

    const first = await deliver(payload);
    const second = await deliver(payload);

    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    expect(paid).toHaveLength(1);
  });

  it("handles two copies arriving at the same time once", async () => {
    const payload = event("checkout.session.completed", session({ payment_status: "paid" }));

    const answers = await Promise.all([deliver(payload), deliver(payload)]);

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200]);
    expect(paid).toHaveLength(1);
  });

  it("answers 500 and remembers nothing when the outcome could not be stored, so Stripe's retry applies it", async () => {
    const payload = event("checkout.session.completed", session({ payment_status: "paid" }), "evt_test_retry");
    failNext = new Error("repository down");

    const first = await deliver(payload);
    expect(first.statusCode).toBe(500);
    expect(first.body).not.toContain("repository down");
    expect(await processed.has("evt_test_retry")).toBe(false);

    failNext = undefined;
    const retry = await deliver(payload);
    expect(retry.statusCode).toBe(200);
    expect(paid).toHaveLength(1);
    expect(await processed.has("evt_test_retry")).toBe(true);
  });

  it("acknowledges and ignores event types it does not handle", async () => {
    const response = await deliver(event("customer.created", { id: "cus_1", object: "customer" }));
    const intent = await deliver(event("payment_intent.succeeded", { id: "pi_1", object: "payment_intent", metadata: { order_id: orderId } }));

    expect([response.statusCode, intent.statusCode]).toEqual([200, 200]);
    expect([paid, failed]).toEqual([[], []]);
  });

  it("acknowledges and ignores a session that carries no order id (not opened by this service)", async () => {
    const response = await deliver(event("checkout.session.completed", session({ payment_status: "paid", metadata: {}, client_reference_id: null })));

    expect(response.statusCode).toBe(200);
    expect(paid).toEqual([]);
  });

  describe("refuses with 400 and changes nothing", () => {
    const paidPayload = () => event("checkout.session.completed", session({ payment_status: "paid" }), "evt_test_refused");

    it.each([
      ["no signature header", () => [paidPayload(), null] as const],
      ["a signature made with another secret", () => {
        const payload = paidPayload();
        return [payload, stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_someone_else" })] as const;
      }],
      ["a body changed after signing", () => {
        const payload = paidPayload();
        const signature = stripe.webhooks.generateTestHeaderString({ payload, secret });
        return [payload.replace(orderId, "01JORDER00000000000000000Z"), signature] as const;
      }],
      ["a stale timestamp (over 300 s old)", () => {
        const payload = paidPayload();
        const timestamp = Math.floor(Date.now() / 1000) - 301;
        return [payload, stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp })] as const;
      }],
      ["a garbled header", () => [paidPayload(), "t=abc,v1=nothex"] as const],
    ])("%s", async (_name, build) => {
      const [payload, signature] = build();

      const response = await deliver(payload, signature);

      expect(response.statusCode).toBe(400);
      expect([paid, failed]).toEqual([[], []]);
      expect(await processed.has("evt_test_refused")).toBe(false);
    });

    it("a body that is not JSON, even when signed", async () => {
      const payload = "not json";
      const response = await deliver(payload, stripe.webhooks.generateTestHeaderString({ payload, secret }));

      expect(response.statusCode).toBe(400);
    });
  });

  it("keeps JSON parsing as usual for routes outside the webhook plugin", async () => {
    const response = await app.inject({ method: "POST", url: "/echo", payload: { hello: "world" } });

    expect(response.json()).toEqual({ hello: "world" });
  });
});

describe("MemoryProcessedStripeEvents", () => {
  it("remembers ids and forgets the oldest beyond its capacity", async () => {
    const processed = new MemoryProcessedStripeEvents(2);
    await processed.add("evt_1");
    await processed.add("evt_2");
    await processed.add("evt_3");

    expect([await processed.has("evt_1"), await processed.has("evt_2"), await processed.has("evt_3")]).toEqual([false, true, true]);
  });
});
