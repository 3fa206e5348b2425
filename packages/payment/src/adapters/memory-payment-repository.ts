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
    // Keyed by the token's digest, never the token: see checkoutTokenDigest.
    super(Payment, { unique: { orderId: (payment) => payment.orderId, checkoutToken: (payment) => checkoutTokenDigest(payment.checkoutToken) } });
  }

  async create(payment: Payment): Promise<void> {
    const existing = await this.insert(payment, "orderId");
    if (existing) throw new DuplicatePaymentError(existing);
  }

  findByOrderId(orderId: string): Promise<Payment | undefined> {
    return this.findUnique("orderId", orderId);
  }

  findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined> {
    return this.findUnique("checkoutToken", checkoutTokenDigest(checkoutToken));
  }
}
