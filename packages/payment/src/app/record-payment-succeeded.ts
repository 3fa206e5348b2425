import type { Logger } from "@oms/platform/logging";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { findPayment } from "./find-payment.js";
import type { Clock, PaymentLookup, PaymentProvider, Publish } from "./ports.js";
import { refundPayment } from "./refund-payment.js";

/** What became of a reported payment: kept, given back (order already cancelled), or a duplicate report. */
export type PaidOutcome = "paid" | "refunded" | "already-settled";

/**
 * The provider reports money received (simulated page, auto-pay, Stripe
 * webhook). An awaiting payment becomes SUCCEEDED with `payment.succeeded`.
 * For an order already given up (payment CANCELLED or FAILED) the money is
 * refunded and recorded, and nothing is published. A repeated report changes
 * nothing.
 */
export class RecordPaymentSucceeded {
  constructor(private readonly deps: { repository: PaymentRepository; provider: PaymentProvider; publish: Publish; clock: Clock; logger?: Logger }) {}

  async execute(lookup: PaymentLookup): Promise<PaidOutcome> {
    const { repository, publish, clock } = this.deps;
    const payment = await findPayment(repository, lookup);
    if (payment.status !== "AWAITING_CUSTOMER" && !payment.refusesPayment) return "already-settled";

    let paid = false;
    const stored = await repository.update(payment.id, (current) => {
      if (current.status !== "AWAITING_CUSTOMER") return;
      current.succeed(clock());
      paid = true;
    });
    if (paid) {
      await publish();
      return "paid";
    }
    // It had been (or just was) given up: the customer's money goes back.
    const latest = stored ?? payment;
    if (!latest.refusesPayment) return "already-settled";
    await refundPayment(this.deps, latest, `paid after the order was cancelled (${latest.failureReason || "no reason given"})`);
    return "refunded";
  }
}
