import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UnavailableError } from "@oms/platform/errors";
import { freePort } from "@oms/platform/free-port";
import Stripe from "stripe";
import { startStripeMock, type StripeMock } from "@oms/testkit/stripe-mock";
import type { OpenCheckoutInput } from "../src/app/ports.js";
import { createStripeClient, StripePaymentProvider } from "../src/adapters/stripe-provider.js";

const now = new Date("2026-11-25T12:00:00Z");
const minutes = (count: number) => new Date(now.getTime() + count * 60_000);

const checkout: OpenCheckoutInput = {
  paymentId: "01JPAYMENT0000000000000000",
  checkoutToken: "Q2hlY2tvdXRUb2tlbjEyMw",
  orderId: "01JORDER00000000000000000A",
  lines: [
    { name: "Tomato soup", quantity: 2, unitPriceMinor: 450 },
    { name: "Flatbread", quantity: 1, unitPriceMinor: 300 },
  ],
  total: 1200,
  currency: "EUR",
  expiresAt: minutes(45),
  idempotencyKey: "oms-checkout-01JORDER00000000000000000A",
};

const returnUrls = ({ checkoutToken }: { checkoutToken: string }) => ({
  successUrl: `http://localhost:8084/checkout/${checkoutToken}?result=paid`,
  cancelUrl: `http://localhost:8084/checkout/${checkoutToken}?result=cancelled`,
});

describe("StripePaymentProvider against stripe-mock", () => {
  let mock: StripeMock;
  let provider: StripePaymentProvider;

  beforeAll(async () => {
    mock = await startStripeMock();
    const stripe = createStripeClient({
      secretKey: "sk_test_123",
      webhookSecret: "whsec_test",
      api: { host: mock.host, port: mock.port, protocol: "http" },
    });
    provider = new StripePaymentProvider(stripe, returnUrls, () => now);
  });
  afterAll(async () => mock?.stop());
  beforeEach(() => {
    mock.requests.length = 0;
  });

  it("opens a Checkout Session in payment mode with one line per order line, in minor units and the order's currency", async () => {
    const opened = await provider.openCheckout(checkout);

    expect(opened.providerReference).toMatch(/^cs_/);
    expect(opened.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.com\//);
    expect(mock.requests).toHaveLength(1);
    const [request] = mock.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/checkout/sessions" });
    expect(request!.form).toEqual({
      mode: "payment",
      "line_items[0][quantity]": "2",
      "line_items[0][price_data][currency]": "eur",
      "line_items[0][price_data][unit_amount]": "450",
      "line_items[0][price_data][product_data][name]": "Tomato soup",
      "line_items[1][quantity]": "1",
      "line_items[1][price_data][currency]": "eur",
      "line_items[1][price_data][unit_amount]": "300",
      "line_items[1][price_data][product_data][name]": "Flatbread",
      client_reference_id: checkout.orderId,
      "metadata[order_id]": checkout.orderId,
      "metadata[payment_id]": checkout.paymentId,
      "payment_intent_data[metadata][order_id]": checkout.orderId,
      "payment_intent_data[metadata][payment_id]": checkout.paymentId,
      success_url: `http://localhost:8084/checkout/${checkout.checkoutToken}?result=paid`,
      cancel_url: `http://localhost:8084/checkout/${checkout.checkoutToken}?result=cancelled`,
      expires_at: String(Math.floor(checkout.expiresAt.getTime() / 1000)),
    });
  });

  it("sends the order's idempotency key, and the same parameters on every attempt", async () => {
    await provider.openCheckout(checkout);
    await provider.openCheckout(checkout);
    await provider.openCheckout({ ...checkout, orderId: "01JORDER00000000000000000B", idempotencyKey: "oms-checkout-01JORDER00000000000000000B" });

    const keys = mock.requests.map((request) => request.headers["idempotency-key"]);
    expect(keys).toEqual([checkout.idempotencyKey, checkout.idempotencyKey, "oms-checkout-01JORDER00000000000000000B"]);
    expect(mock.requests[0]!.form).toEqual(mock.requests[1]!.form);
  });

  it("leaves the expiry to Stripe's default when the deadline is outside Stripe's 30 minutes to 24 hours", async () => {
    await provider.openCheckout({ ...checkout, expiresAt: minutes(15) });
    await provider.openCheckout({ ...checkout, expiresAt: minutes(25 * 60) });
    await provider.openCheckout({ ...checkout, expiresAt: minutes(23 * 60) });

    expect(mock.requests.map((request) => request.form.expires_at)).toEqual([
      undefined,
      undefined,
      String(Math.floor(minutes(23 * 60).getTime() / 1000)),
    ]);
  });

  it("expires an open session", async () => {
    await provider.expireCheckout("cs_test_open");

    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual(["POST /v1/checkout/sessions/cs_test_open/expire"]);
  });

  it("refunds a late payment through the session's payment intent, once per session", async () => {
    const refunded = await provider.refund("cs_test_late", 1200);

    expect(refunded.refundReference).toMatch(/^re_/);
    expect(mock.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /v1/checkout/sessions/cs_test_late",
      "POST /v1/refunds",
    ]);
    const refund = mock.requests[1]!;
    expect(refund.form).toMatchObject({ amount: "1200", reason: "requested_by_customer" });
    expect(refund.form.payment_intent).toMatch(/^pi_/);
    expect(refund.headers["idempotency-key"]).toBe("oms-refund-cs_test_late");
  });

  it("sends the secret key as a bearer token", async () => {
    await provider.expireCheckout("cs_test_open");

    expect(mock.requests[0]!.headers.authorization).toBe("Bearer sk_test_123");
  });
});

describe("StripePaymentProvider when Stripe cannot be reached", () => {
  it("reports UnavailableError so the order.created consumer retries", async () => {
    const port = await freePort();
    const stripe = new Stripe("sk_test_123", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
    const provider = new StripePaymentProvider(stripe, returnUrls, () => now);

    await expect(provider.openCheckout(checkout)).rejects.toBeInstanceOf(UnavailableError);
    await expect(provider.expireCheckout("cs_test_open")).rejects.toBeInstanceOf(UnavailableError);
    await expect(provider.refund("cs_test_late", 100)).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe("StripePaymentProvider.expireCheckout on a session Stripe no longer expires", () => {
  // stripe-mock keeps no state, so this one Stripe answer comes from a small stand-in.
  async function standIn(sessionStatus: string) {
    const server = createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      if (request.method === "POST") {
        response.statusCode = 400;
        response.end(JSON.stringify({ error: { type: "invalid_request_error", message: "Only Checkout Sessions with a status in [\"open\"] can be expired." } }));
      } else {
        response.end(JSON.stringify({ id: "cs_test_done", object: "checkout.session", status: sessionStatus }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const stripe = new Stripe("sk_test_123", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 });
    return { provider: new StripePaymentProvider(stripe, returnUrls, () => now), close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }) };
  }

  it.each(["complete", "expired"])("does nothing when the session is already %s", async (status) => {
    const { provider, close } = await standIn(status);
    try {
      await expect(provider.expireCheckout("cs_test_done")).resolves.toBeUndefined();
    } finally {
      await close();
    }
  });

  it("passes the refusal on when the session is somehow still open", async () => {
    const { provider, close } = await standIn("open");
    try {
      await expect(provider.expireCheckout("cs_test_done")).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    } finally {
      await close();
    }
  });
});
