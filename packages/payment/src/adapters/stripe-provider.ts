import { ConfigError, env, readConfig, type Env } from "@oms/platform/config";
import { UnavailableError } from "@oms/platform/errors";
import Stripe from "stripe";
import type { OpenCheckoutInput, PaymentProvider } from "../app/ports.js";

/** What the stripe provider needs from the environment (only read when PAYMENT_PROVIDER=stripe). */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  /** Set from STRIPE_API_BASE (stripe-mock in tests); absent means api.stripe.com. */
  api?: { host: string; port: number; protocol: "http" | "https" };
}

/**
 * Reads STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and the optional
 * STRIPE_API_BASE when PAYMENT_PROVIDER=stripe; returns undefined for the
 * simulated provider. A missing or malformed value throws ConfigError naming
 * the variable, so start-up stops before a payment is taken.
 */
export function readStripeConfig(source: Env): StripeSettings | undefined {
  const { provider } = readConfig({ provider: env.oneOf("PAYMENT_PROVIDER", ["simulated", "stripe"], "simulated") }, source);
  if (provider !== "stripe") return undefined;
  const config = readConfig(
    {
      secretKey: prefixed("STRIPE_SECRET_KEY", ["sk_", "rk_"]),
      webhookSecret: prefixed("STRIPE_WEBHOOK_SECRET", ["whsec_"]),
      apiBase: env.url("STRIPE_API_BASE", ["http", "https"]),
    },
    source,
  );
  const settings: StripeSettings = { secretKey: config.secretKey, webhookSecret: config.webhookSecret };
  if (config.apiBase) {
    const base = new URL(config.apiBase);
    const protocol = base.protocol === "http:" ? "http" : "https";
    settings.api = { host: base.hostname, port: Number(base.port || (protocol === "http" ? 80 : 443)), protocol };
  }
  return settings;
}

/** A required variable whose value must start with one of `prefixes` (a swapped key and secret is a common mistake). */
function prefixed(name: string, prefixes: readonly string[]) {
  const read = env.required(name);
  return (source: Env) => {
    const value = read(source);
    if (!prefixes.some((prefix) => value.startsWith(prefix))) {
      throw new ConfigError(`${name} must start with ${prefixes.join(" or ")}`);
    }
    return value;
  };
}

/** The Stripe client for these settings: pinned API version, retries with idempotency keys, bounded waits. */
export function createStripeClient(settings: StripeSettings): Stripe {
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "oms-payment" },
    ...settings.api,
  });
}

/** Where Stripe sends the customer back: pages of the payment service showing the order's live status. */
export type ReturnUrls = (checkout: { checkoutToken: string; orderId: string }) => { successUrl: string; cancelUrl: string };

// Stripe accepts a Checkout Session expiry from 30 minutes to 24 hours after creation.
const minimumExpiryMs = 31 * 60_000;
const maximumExpiryMs = 24 * 3_600_000 - 10 * 60_000;

/**
 * PaymentProvider backed by Stripe Checkout: one Checkout Session per order,
 * expired when the order is cancelled unpaid, refunded when paid too late.
 * The outcome arrives through the webhook (stripe-webhook.ts), not here.
 */
export class StripePaymentProvider implements PaymentProvider {
  constructor(
    private readonly stripe: Stripe,
    private readonly returnUrls: ReturnUrls,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async openCheckout(input: OpenCheckoutInput): Promise<{ providerReference: string; checkoutUrl: string }> {
    const currency = input.currency.toLowerCase();
    const { successUrl, cancelUrl } = this.returnUrls({ checkoutToken: input.checkoutToken, orderId: input.orderId });
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: "payment",
      line_items: input.lines.map((line) => ({
        quantity: line.quantity,
        price_data: { currency, unit_amount: line.unitPriceMinor, product_data: { name: line.name } },
      })),
      client_reference_id: input.orderId,
      metadata: { order_id: input.orderId, payment_id: input.paymentId },
      payment_intent_data: { metadata: { order_id: input.orderId, payment_id: input.paymentId } },
      success_url: successUrl,
      cancel_url: cancelUrl,
    };
    const expiresAt = this.stripeExpiry(input.expiresAt);
    if (expiresAt !== undefined) params.expires_at = expiresAt;
    // The key comes from the order: a redelivered order.created (or a retry after a crash) gets the same session back.
    const session = await call(() => this.stripe.checkout.sessions.create(params, { idempotencyKey: input.idempotencyKey }));
    if (!session.url) throw new UnavailableError(`stripe: checkout session ${session.id} came back without a url`);
    return { providerReference: session.id, checkoutUrl: session.url };
  }

  /**
   * Stripe refuses expiries under 30 minutes or over 24 hours away. Inside that
   * window the session closes at the order's deadline; outside it Stripe's
   * default (24 h) applies and the order's own deadline cancels the order, which
   * expires the session through expireCheckout. The value comes from the
   * deadline alone, so a retried request carries the same parameters as the
   * first (Stripe refuses an idempotency key reused with different ones).
   */
  private stripeExpiry(deadline: Date): number | undefined {
    const left = deadline.getTime() - this.now().getTime();
    if (left < minimumExpiryMs || left > maximumExpiryMs) return undefined;
    return Math.floor(deadline.getTime() / 1000);
  }

  async expireCheckout(providerReference: string): Promise<void> {
    try {
      await call(() => this.stripe.checkout.sessions.expire(providerReference));
    } catch (error) {
      // Already expired or completed: nothing left to close (a completion still reaches the webhook and is refunded).
      if (error instanceof Stripe.errors.StripeInvalidRequestError) {
        const session = await call(() => this.stripe.checkout.sessions.retrieve(providerReference));
        if (session.status !== "open") return;
      }
      throw error;
    }
  }

  async refund(providerReference: string, amount: number): Promise<{ refundReference: string }> {
    const session = await call(() => this.stripe.checkout.sessions.retrieve(providerReference));
    const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
    if (!paymentIntent) throw new UnavailableError(`stripe: checkout session ${providerReference} has no payment to refund yet`);
    const refund = await call(() =>
      this.stripe.refunds.create(
        { payment_intent: paymentIntent, amount, reason: "requested_by_customer", metadata: { ...session.metadata } },
        // One refund per session, however often the late payment is reported.
        { idempotencyKey: `oms-refund-${providerReference}` },
      ),
    );
    return { refundReference: refund.id };
  }
}

/** Runs a Stripe call; network trouble and Stripe outages become UnavailableError so the consumer retries. */
async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError
    ) {
      throw new UnavailableError(`stripe: ${error.message}`);
    }
    throw error;
  }
}
