import type { Payment } from "./payment.js";

/** Raised by `create` when the order already has a payment; carries that payment. */
export class DuplicatePaymentError extends Error {
  override readonly name = "DuplicatePaymentError";
  constructor(readonly existing: Payment) {
    super(`order ${existing.orderId} already has payment ${existing.id}`);
  }
}

/**
 * Where payments live, one per order. Adapters: memory (embedded mode, tests)
 * and MongoDB, both on platform storage's aggregate kit and held to
 * test/payment-repository.contract.ts. Every change is one atomic
 * single-document write; the outbox travels inside the payment document
 * (the relay reads it through the adapters, not through this port).
 */
export interface PaymentRepository {
  /** Stores a new payment; throws DuplicatePaymentError when its order has one (atomically, also under races). */
  create(payment: Payment): Promise<void>;
  /** The payment with this id, or undefined. */
  get(id: string): Promise<Payment | undefined>;
  /** The payment of this order, or undefined. */
  findByOrderId(orderId: string): Promise<Payment | undefined>;
  /**
   * The payment whose checkout token this is, or undefined. The caller still
   * compares the token it gets back in constant time (see findPayment).
   */
  findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined>;
  /**
   * Loads the payment, applies `change` (a domain method; it may throw to
   * refuse, and then nothing is saved) and saves it if its version moved.
   * Returns the payment as stored, or undefined when there is no such payment.
   */
  update(id: string, change: (payment: Payment) => void): Promise<Payment | undefined>;
}
