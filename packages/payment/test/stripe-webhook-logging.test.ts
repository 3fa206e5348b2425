import { Writable } from "node:stream";
import Fastify, { type FastifyInstance } from "fastify";
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@oms/platform/logging";
import { MemoryProcessedStripeEvents, stripeWebhookRoutes } from "../src/adapters/stripe-webhook.js";

const secret = "whsec_logging_test";
// Verification is local: this client never calls Stripe.
const stripe = new Stripe("sk_test_logging");

describe("POST /webhooks/stripe with a bad signature", () => {
  let lines: string[];
  let app: FastifyInstance;

  beforeEach(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger("payment-test", { level: "debug" }, sink);
    app = Fastify();
    const ignore = async () => {};
    await app.register(stripeWebhookRoutes({ stripe, webhookSecret: secret, processed: new MemoryProcessedStripeEvents(), logger, onPaid: ignore, onFailed: ignore }));
    await app.ready();
  });
  afterEach(() => app.close());

  const body = JSON.stringify({ id: "evt_forged", type: "checkout.session.completed", note: "ATTACKER-BODY-MARKER".repeat(50) });
  const wrongSecret = stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_not_ours" });
  const stale = stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: 1_000_000 });

  it.each([
    ["signed with another secret", wrongSecret, /No signatures found matching the expected signature/],
    ["with a signature header that is not one", "ATTACKER-SIGNATURE-MARKER", /Unable to extract timestamp and signatures/],
    ["signed too long ago", stale, /Timestamp outside the tolerance zone/],
  ])("answers 400 and logs why, never the body or the signature header: %s", async (_case, signature, reason) => {
    const response = await app.inject({ method: "POST", url: "/webhooks/stripe", headers: { "content-type": "application/json", "stripe-signature": signature }, payload: body });

    expect(response.statusCode).toBe(400);
    const logged = lines.filter((line) => line.includes("signature verification failed"));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0]!).reason).toMatch(reason);
    const everything = lines.join("");
    expect(everything).not.toContain("ATTACKER-BODY-MARKER");
    expect(everything).not.toContain("ATTACKER-SIGNATURE-MARKER");
    expect(everything).not.toContain(signature.split(",").at(-1));
    expect(everything).not.toContain("evt_forged");
  });
});
