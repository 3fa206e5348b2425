import type { PaymentRepository } from "../domain/payment-repository.js";
import { findPayment } from "./find-payment.js";
import type { Clock, PaymentLookup, Publish } from "./ports.js";

/** What became of a reported failure: recorded, or the payment was settled already. */
export type FailedOutcome = "failed" | "already-settled";

/**
 * The provider reports the payment did not go through (the customer cancelled
 * at checkout, the checkout expired, the bank refused): an awaiting payment
 * becomes FAILED with `payment.failed`, so order cancels the order. Anything
 * already settled stays as it is (a duplicate, or a failure after success).
 */
export class RecordPaymentFailed {
  constructor(private readonly deps: { repository: PaymentRepository; publish: Publish; clock: Clock }) {}

  async execute(lookup: PaymentLookup, reason: string): Promise<FailedOutcome> {
    const payment = await findPayment(this.deps.repository, lookup);
    if (payment.status !== "AWAITING_CUSTOMER") return "already-settled";
    let failed = false;
    await this.deps.repository.update(payment.id, (current) => {
      if (current.status !== "AWAITING_CUSTOMER") return;
      current.fail(reason, this.deps.clock());
      failed = true;
    });
    if (!failed) return "already-settled";
    await this.deps.publish();
    return "failed";
  }
}
