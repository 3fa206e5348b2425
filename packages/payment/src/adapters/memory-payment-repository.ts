import { MemoryAggregates } from "@oms/platform/storage";
import { checkoutTokenDigest } from "../app/checkout-token.js";
import { Payment, type PaymentSnapshot } from "../domain/payment.js";
import { DuplicatePaymentError, type PaymentRepository } from "../domain/payment-repository.js";

/**
 * Payments in memory (the embedded mode and tests), on platform storage's
 * aggregate kit: updates, the outbox and trace context come from there; the
 * payment's own lookups are here. One payment per order, one per checkout token.
 */
export class MemoryPaymentRepository extends MemoryAggregates<Payment, PaymentSnapshot> implements PaymentRepository {
  constructor() {
    super(Payment, {
      unique: { field: "orderId", duplicate: (payment) => new DuplicatePaymentError(payment) },
      // Keyed by the token's digest, never the token: see checkoutTokenDigest.
      alsoUnique: { checkoutToken: (payment) => checkoutTokenDigest(payment.checkoutToken) },
      orderIdOf: (payment) => payment.orderId,
    });
  }

  findByOrderId(orderId: string): Promise<Payment | undefined> {
    return this.findUnique("orderId", orderId);
  }

  findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined> {
    return this.findUnique("checkoutToken", checkoutTokenDigest(checkoutToken));
  }
}
