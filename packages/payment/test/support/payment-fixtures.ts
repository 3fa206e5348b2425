import { Writable } from "node:stream";
import { newId } from "@oms/platform/ids";
import { createLogger, type Logger } from "@oms/platform/logging";
import type { OpenCheckoutInput, PaymentProvider } from "../../src/app/ports.js";
import { newCheckoutToken } from "../../src/app/checkout-token.js";
import { createPaymentApp } from "../../src/app/payment-app.js";
import { MemoryPaymentRepository } from "../../src/adapters/memory-payment-repository.js";
import { Payment } from "../../src/domain/payment.js";
import type { OpenCheckoutCommand } from "../../src/app/open-checkout.js";
import type { PaymentEvent } from "../../src/domain/payment-events.js";

export const now = new Date("2026-11-25T12:00:00Z");

/** An order.created as the open-checkout use case takes it. */
export function orderCreated(orderId = newId()): OpenCheckoutCommand {
  return {
    orderId,
    lines: [
      { name: "Margherita", quantity: 2, unitPriceMinor: 950 },
      { name: "Espresso", quantity: 1, unitPriceMinor: 250 },
    ],
    total: { currencyCode: "EUR", amountMinor: 2150 },
    paymentDeadline: new Date(now.getTime() + 15 * 60_000),
  };
}

/** A new AWAITING_CUSTOMER payment with no checkout yet. */
export function newPayment(orderId = newId()): Payment {
  const order = orderCreated(orderId);
  const { total: amount, lines, paymentDeadline: expiresAt } = order;
  return Payment.open({ id: newId(), orderId, checkoutToken: newCheckoutToken(), amount, lines, provider: "simulated", expiresAt, now });
}

/** A provider that records every call and answers like an idempotent one. */
export class RecordingProvider implements PaymentProvider {
  readonly opened: OpenCheckoutInput[] = [];
  readonly expired: string[] = [];
  readonly refunds: Array<{ providerReference: string; amount: number }> = [];
  private readonly references = new Map<string, string>();

  async openCheckout(input: OpenCheckoutInput) {
    this.opened.push(input);
    let reference = this.references.get(input.idempotencyKey);
    if (!reference) this.references.set(input.idempotencyKey, (reference = `ref_${this.references.size + 1}`));
    return { providerReference: reference, checkoutUrl: `http://pay.test/checkout/${input.checkoutToken}` };
  }

  async expireCheckout(providerReference: string) {
    this.expired.push(providerReference);
  }

  async refund(providerReference: string, amount: number) {
    this.refunds.push({ providerReference, amount });
    return { refundReference: `re_${providerReference}` };
  }
}

/** The payment use cases over memory storage and a recording provider; `published` collects what the outbox held at each publish. */
export function makePaymentApp(providerName = "simulated", logger?: Logger) {
  const repository = new MemoryPaymentRepository();
  const provider = new RecordingProvider();
  const published: PaymentEvent[] = [];
  // One pass at a time, as OutboxRelay does, so concurrent use cases never publish an event twice.
  let passes = Promise.resolve();
  const publish = () =>
    (passes = passes.then(async () => {
      for (const { aggregateId, events } of await repository.pendingOutbox(100)) {
        published.push(...events);
        await repository.markPublished(aggregateId, events.map((event) => event.id));
      }
    }));
  const app = createPaymentApp({ repository, provider, providerName, publish, clock: () => now, ...(logger && { logger }) });
  const types = () => published.map((event) => event.type);
  return { app, repository, provider, published, types };
}

/** A logger whose JSON lines land in `lines`, parsed. */
export function capturedLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger("payment-test", { level: "info" }, sink), lines };
}
