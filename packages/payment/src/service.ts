import { PaymentService } from "@oms/contracts/payment/v1/payment";
import { env, readConfig, type Env } from "@oms/platform/config";
import type { Faults } from "@oms/platform/faults";
import type { ServiceDeps, ServiceModule } from "@oms/platform/server";
import { cardDeclinedReason, checkoutRoutes } from "./adapters/checkout-routes.js";
import { openAggregateRepository } from "@oms/platform/storage";
import { MongoProcessedStripeEvents } from "./adapters/mongo-processed-stripe-events.js";
import { subscribeOrderEvents } from "./adapters/order-event-consumer.js";
import { paymentStorage, type StoredPayments } from "./adapters/payment-storage.js";
import { SimulatedPaymentProvider } from "./adapters/simulated-provider.js";
import { createStripeClient, readStripeConfig, StripePaymentProvider, type StripeSettings } from "./adapters/stripe-provider.js";
import { MemoryProcessedStripeEvents, stripeWebhookRoutes } from "./adapters/stripe-webhook.js";
import { createPaymentApp } from "./app/payment-app.js";
import type { Clock } from "./app/ports.js";
import { paymentPolicies, paymentRoutes } from "./rpc.js";

export { createPaymentApp, type PaymentApp } from "./app/payment-app.js";
export type { PaymentProvider, OpenCheckoutInput } from "./app/ports.js";
export { paymentRoutes } from "./rpc.js";
export { paymentQueue } from "./adapters/order-event-consumer.js";

/** The payment service's settings, from the environment. */
export interface PaymentConfig {
  /** PAYMENT_PORT, 8084 by default (0: any free port). */
  port: number;
  /** PAYMENT_PUBLIC_URL: where customers' browsers reach this service (checkout pages); `http://localhost:<port>` by default. */
  publicUrl: string;
  /** PAYMENT_PROVIDER: "simulated" (the default) or "stripe". */
  provider: "simulated" | "stripe";
  /** With PAYMENT_PROVIDER=stripe: STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and the optional STRIPE_API_BASE. */
  stripe?: StripeSettings;
  /** PAYMENT_AUTO_PAY_AFTER (a duration, "0" = off, the default): the simulated provider pays each checkout this long after it opened. */
  autoPayAfterMs: number;
  /** MONGODB_URL: payments (and the Stripe event ids applied) in MongoDB; in memory when unset. */
  mongodbUrl?: string;
}

/** Reads the payment service's configuration; throws ConfigError naming each bad variable. */
export function readPaymentConfig(source: Env = process.env): PaymentConfig {
  const config = readConfig(
    {
      port: env.port("PAYMENT_PORT", 8084),
      publicUrl: env.url("PAYMENT_PUBLIC_URL", ["http", "https"]),
      provider: env.oneOf("PAYMENT_PROVIDER", ["simulated", "stripe"], "simulated"),
      autoPayAfterMs: env.duration("PAYMENT_AUTO_PAY_AFTER", "0"),
      mongodbUrl: env.url("MONGODB_URL", ["mongodb", "mongodb+srv"]),
    },
    source,
  );
  return { ...config, publicUrl: (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/+$/, ""), stripe: readStripeConfig(source) };
}

export interface PaymentServiceDeps extends ServiceDeps<PaymentConfig> {
  /** Storage; when not given, MongoDB if `config.mongodbUrl` is set, else in memory (the embedded mode). */
  repository?: StoredPayments;
  clock?: Clock;
  /** The process's fault switches: payment_decline_rate makes the simulated provider decline. */
  faults?: Faults;
}

/**
 * The payment service: GetPayment, the simulated checkout pages, and the
 * background work start() runs — the "payment" queue consumers and the outbox relay.
 */
export async function createPaymentService(deps: PaymentServiceDeps): Promise<ServiceModule> {
  const { config, bus, logger } = deps;
  const storage = await openAggregateRepository(paymentStorage, deps);
  const { repository, relay } = storage;
  const stripe = config.stripe && createStripeClient(config.stripe);
  const simulated = stripe ? undefined : new SimulatedPaymentProvider({ publicUrl: config.publicUrl, autoPayAfterMs: config.autoPayAfterMs, logger });
  // Stripe sends the customer back to this service's page for the payment, which shows the order's status.
  const returnUrls = ({ checkoutToken }: { checkoutToken: string }) => {
    const page = `${config.publicUrl}/checkout/${encodeURIComponent(checkoutToken)}`;
    return { successUrl: page, cancelUrl: page };
  };
  const provider = stripe ? new StripePaymentProvider(stripe, returnUrls) : simulated!;
  const app = createPaymentApp({ repository, provider, providerName: stripe ? "stripe" : "simulated", publish: () => relay.flush(), clock: deps.clock, logger });
  // The simulated card issuer: declines the share of payments the payment_decline_rate fault names.
  const declines = () => deps.faults?.strikes("paymentDeclineRate") ?? false;
  simulated?.onAutoPay((paymentId) =>
    declines() ? app.recordPaymentFailed.execute({ paymentId }, cardDeclinedReason) : app.recordPaymentSucceeded.execute({ paymentId }),
  );
  const webhook =
    stripe &&
    stripeWebhookRoutes({
      stripe,
      webhookSecret: config.stripe!.webhookSecret,
      processed: storage.storage ? new MongoProcessedStripeEvents(storage.storage.db) : new MemoryProcessedStripeEvents(),
      logger,
      onPaid: ({ orderId }) => app.recordPaymentSucceeded.execute({ orderId }),
      onFailed: ({ orderId, reason }) => app.recordPaymentFailed.execute({ orderId }, reason),
    });
  let started = false;

  return {
    definition: {
      name: "payment",
      services: [PaymentService],
      routes: paymentRoutes(app),
      policies: paymentPolicies,
      http: async (fastify) => {
        // Each in its own encapsulated context: the webhook's raw-body parser stays inside its plugin.
        await fastify.register(checkoutRoutes({ app, publicUrl: config.publicUrl, declines, logger }));
        if (webhook) await fastify.register(webhook);
      },
      ready: () => storage.ready(),
    },
    async start() {
      if (started) return;
      started = true;
      await subscribeOrderEvents(bus, app, logger);
      relay.start();
    },
    // The bus belongs to the caller, which closes it (stopping consumers and waiting for handlers in flight).
    async stop() {
      simulated?.close();
      await storage.close();
    },
  };
}
