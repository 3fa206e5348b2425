import { DuplicateAggregateError, type AggregateRepository } from "@oms/platform/aggregate";
import type { Payment } from "./payment.js";

/** Raised by `create` when the order already has a payment; carries that payment. */
export class DuplicatePaymentError extends DuplicateAggregateError<Payment> {
  constructor(existing: Payment) {
    super(existing, `order ${existing.orderId} already has payment ${existing.id}`);
  }
}

/**
 * Where payments live, one per order: `create` throws DuplicatePaymentError
 * for a second payment of an order. Adapters: memory (embedded mode, tests)
 * and MongoDB, both on platform storage's aggregate kit (which gives create,
 * get, update and the outbox) and held to test/payment-repository.contract.ts.
 */
export interface PaymentRepository extends AggregateRepository<Payment> {
  /** The payment of this order, or undefined. */
  findByOrderId(orderId: string): Promise<Payment | undefined>;
  /**
   * The payment whose checkout token this is, or undefined. The caller still
   * compares the token it gets back in constant time (see findPayment).
   */
  findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined>;
}
