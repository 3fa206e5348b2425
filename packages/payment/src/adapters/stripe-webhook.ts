import { NotFoundError } from "@oms/platform/errors";
import type { Logger } from "@oms/platform/logging";
import type { FastifyPluginAsync } from "fastify";
import Stripe from "stripe";

/** Ids of the Stripe events whose outcome is already stored; Stripe delivers at least once. */
export interface ProcessedStripeEvents {
  has(eventId: string): Promise<boolean>;
  add(eventId: string): Promise<void>;
}

/**
 * In-memory ProcessedStripeEvents, keeping the most recent `capacity` ids.
 * Forgetting an old id is safe: the use cases are idempotent by payment state,
 * this only spares them the work.
 */
export class MemoryProcessedStripeEvents implements ProcessedStripeEvents {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  async has(eventId: string): Promise<boolean> {
    return this.ids.has(eventId);
  }

  async add(eventId: string): Promise<void> {
    this.ids.add(eventId);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value!);
  }
}

/** What a Checkout Session outcome tells the payment use cases. */
export interface CheckoutOutcome {
  /** From the session's metadata (or client_reference_id), set when the session was opened. */
  orderId: string;
  /** The Checkout Session id: the payment's provider reference. */
  sessionId: string;
}

export interface StripeWebhookOptions {
  /** Any Stripe client: only its webhooks helper is used (verification is local, no API call). */
  stripe: Stripe;
  /** STRIPE_WEBHOOK_SECRET (`whsec_...`). */
  webhookSecret: string;
  processed: ProcessedStripeEvents;
  /**
   * Record the payment as succeeded (RecordPaymentSucceeded: publishes
   * payment.succeeded, or refunds when the order is already cancelled).
   * NotFoundError means the session is not one of this service's payments.
   */
  onPaid(outcome: CheckoutOutcome): Promise<unknown>;
  /** Record the payment as failed (RecordPaymentFailed: publishes payment.failed). */
  onFailed(outcome: CheckoutOutcome & { reason: string }): Promise<unknown>;
  logger?: Logger;
  /** Oldest signature timestamp accepted, in seconds (Stripe's default 300). */
  toleranceSeconds?: number;
}

type Outcome = { kind: "paid" } | { kind: "failed"; reason: string } | { kind: "ignored"; why: string };

/** What a verified event means for the order's payment; anything else is acknowledged and ignored. */
function outcomeOf(event: Stripe.Event): Outcome {
  switch (event.type) {
    case "checkout.session.completed": {
      const status = event.data.object.payment_status;
      // "unpaid" means an asynchronous method (a bank debit) is still settling: its own event follows.
      if (status === "paid" || status === "no_payment_required") return { kind: "paid" };
      return { kind: "ignored", why: `completed with payment_status ${status}` };
    }
    case "checkout.session.async_payment_succeeded":
      return { kind: "paid" };
    case "checkout.session.async_payment_failed":
      return { kind: "failed", reason: "the payment did not go through" };
    case "checkout.session.expired":
      return { kind: "failed", reason: "the checkout expired before payment" };
    default:
      return { kind: "ignored", why: `event type ${event.type} is not handled` };
  }
}

/**
 * Why a delivery failed verification, as Stripe's first sentence (fixed
 * texts such as "No signatures found matching the expected signature for
 * payload"); for anything else only the error's name, since a JSON parser's
 * message quotes the text it choked on.
 */
function verificationFailure(error: unknown): string {
  if (error instanceof Stripe.errors.StripeSignatureVerificationError) return error.message.split(/[.\n]/)[0]!.trim();
  return error instanceof Error ? error.name : "unknown error";
}

/**
 * `POST /webhooks/stripe` as an encapsulated Fastify plugin. The raw body is
 * verified against the `stripe-signature` header before anything is parsed
 * (400 and no change when it fails); a verified Checkout Session event is
 * handed to onPaid / onFailed, and 200 is sent only once that resolved, so a
 * failure (5xx) makes Stripe deliver again. Duplicates are answered 200 from
 * the processed-ids store; concurrent copies of one event share one handling.
 */
export function stripeWebhookRoutes(options: StripeWebhookOptions): FastifyPluginAsync {
  const inFlight = new Map<string, Promise<void>>();

  async function handle(event: Stripe.Event, outcome: Outcome): Promise<void> {
    if (await options.processed.has(event.id)) return;
    if (outcome.kind !== "ignored") {
      const session = event.data.object as Stripe.Checkout.Session;
      const orderId = session.metadata?.order_id ?? session.client_reference_id;
      if (!orderId) {
        // Not one of ours (e.g. `stripe trigger` makes its own sessions): nothing to apply.
        options.logger?.warn({ eventId: event.id, sessionId: session.id }, "stripe webhook: session without an order id, ignored");
      } else {
        await apply(event, outcome, { orderId, sessionId: session.id });
      }
    }
    await options.processed.add(event.id);
  }

  async function apply(event: Stripe.Event, outcome: Outcome, checkout: CheckoutOutcome): Promise<void> {
    try {
      if (outcome.kind === "paid") await options.onPaid(checkout);
      else if (outcome.kind === "failed") await options.onFailed({ ...checkout, reason: outcome.reason });
    } catch (error) {
      // Every payment is stored before its session is opened, so an unknown order is not ours
      // (another environment on the same Stripe account): retrying would never help.
      if (!(error instanceof NotFoundError)) throw error;
      options.logger?.warn({ eventId: event.id, ...checkout }, "stripe webhook: no payment for this order, ignored");
    }
  }

  return async (app) => {
    // Only inside this plugin: keep the body as the exact bytes Stripe signed.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

    // Keyed by Stripe's signature over the body, checked before anything is read from it.
    app.post("/webhooks/stripe", { config: { access: "keyed" } }, async (request, reply) => {
      const signature = request.headers["stripe-signature"];
      if (typeof signature !== "string" || !Buffer.isBuffer(request.body)) {
        return reply.code(400).send({ error: "missing stripe-signature header or body" });
      }
      let event: Stripe.Event;
      try {
        event = options.stripe.webhooks.constructEvent(request.body, signature, options.webhookSecret, options.toleranceSeconds);
      } catch (error) {
        // Why only: Stripe's error carries the body and the signature header, both the sender's to choose (and any size).
        options.logger?.warn({ reason: verificationFailure(error) }, "stripe webhook: signature verification failed");
        return reply.code(400).send({ error: "invalid signature" });
      }
      const outcome = outcomeOf(event);
      if (outcome.kind === "ignored") options.logger?.debug({ eventId: event.id, why: outcome.why }, "stripe webhook: ignored");
      let work = inFlight.get(event.id);
      if (!work) {
        work = handle(event, outcome).finally(() => inFlight.delete(event.id));
        inFlight.set(event.id, work);
      }
      try {
        await work;
      } catch (error) {
        // Not stored: Stripe delivers again later (with growing delays, for up to three days).
        options.logger?.error({ err: error, eventId: event.id }, "stripe webhook: outcome not stored");
        return reply.code(500).send({ error: "outcome not stored, retry" });
      }
      return reply.code(200).send({ received: true });
    });
  };
}
