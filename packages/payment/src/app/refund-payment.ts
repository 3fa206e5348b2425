import type { Logger } from "@oms/platform/logging";
import type { Payment } from "../domain/payment.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import type { Clock, PaymentProvider } from "./ports.js";

export interface RefundDeps {
  repository: PaymentRepository;
  provider: PaymentProvider;
  clock: Clock;
  logger?: Logger;
}

/**
 * Gives a payment's money back and records it REFUNDED. The provider is asked
 * first: if the save then fails the caller retries, and the provider's
 * refund is idempotent per checkout, so the customer is refunded once.
 * Returns the payment as stored.
 */
export async function refundPayment(deps: RefundDeps, payment: Payment, reason: string): Promise<Payment> {
  if (payment.status === "REFUNDED") return payment;
  const { refundReference } = await deps.provider.refund(payment.providerReference, payment.amount.amountMinor);
  const stored = await deps.repository.update(payment.id, (current) => {
    if (current.status !== "REFUNDED") current.refund(refundReference, reason, deps.clock());
  });
  deps.logger?.warn({ orderId: payment.orderId, paymentId: payment.id, refundReference, reason }, "payment refunded");
  return stored ?? payment;
}
