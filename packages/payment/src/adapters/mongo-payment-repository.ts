import type { Db } from "mongodb";
import { MongoAggregates, type NamedIndex } from "@oms/platform/storage";
import { Payment, type PaymentSnapshot } from "../domain/payment.js";
import { DuplicatePaymentError, type PaymentRepository } from "../domain/payment-repository.js";

/** Indexes the payment's lookups need (the kit adds the outbox's). */
const paymentIndexes: NamedIndex[] = [
  // One payment per order, also when order.created is delivered twice at once.
  { name: "order_unique", key: { orderId: 1 }, unique: true },
  // The checkout pages look payments up by token. Sparse: payments stored before tokens existed have none.
  { name: "checkout_token_unique", key: { checkoutToken: 1 }, unique: true, sparse: true },
];

/**
 * Payments in MongoDB (FerretDB in tests), on platform storage's aggregate
 * kit: one document per payment with its outbox inside, so a change and the
 * events it raises are one write; updates are a compare-and-set on `version`.
 */
export class MongoPaymentRepository extends MongoAggregates<Payment, PaymentSnapshot> implements PaymentRepository {
  static readonly indexes = paymentIndexes;

  constructor(db: Db) {
    super(db, "payments", Payment, { unique: { field: "orderId", duplicate: (payment) => new DuplicatePaymentError(payment) }, orderIdOf: (payment) => payment.orderId });
  }

  findByOrderId(orderId: string): Promise<Payment | undefined> {
    return this.findOne({ orderId });
  }

  findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined> {
    return this.findOne({ checkoutToken });
  }
}
