import type { Collection, Db, Filter } from "mongodb";
import {
  ensureIndexes,
  fromVersionedDocument,
  insertUnique,
  pendingDomainEvents,
  pullPublishedEvents,
  updateVersioned,
  type IndexPlan,
  type VersionedDocument,
} from "@oms/platform/storage";
import { Payment, type PaymentSnapshot } from "../domain/payment.js";
import type { PaymentEvent } from "../domain/payment-events.js";
import { DuplicatePaymentError, type PaymentRepository } from "../domain/payment-repository.js";

type PaymentDocument = VersionedDocument<PaymentSnapshot>;

const collectionName = "payments";

/** Indexes the queries need; fixed names, so a changed definition fails loudly. */
export const paymentIndexes: IndexPlan = {
  [collectionName]: [
    // One payment per order, also when order.created is delivered twice at once.
    { name: "order_unique", key: { orderId: 1 }, unique: true },
    // The checkout pages look payments up by token. Sparse: payments stored before tokens existed have none.
    { name: "checkout_token_unique", key: { checkoutToken: 1 }, unique: true, sparse: true },
    { name: "outbox_pending_oldest_first", key: { "outbox.0.time": 1 }, sparse: true },
  ],
};

/**
 * Payments in MongoDB (FerretDB in tests): one document per payment with its
 * outbox inside, so a change and the events it raises are one write; updates
 * are a compare-and-set on `version`.
 */
export class MongoPaymentRepository implements PaymentRepository {
  private readonly payments: Collection<PaymentDocument>;

  constructor(db: Db) {
    this.payments = db.collection<PaymentDocument>(collectionName);
  }

  static async open(db: Db): Promise<MongoPaymentRepository> {
    await ensureIndexes(db, paymentIndexes);
    return new MongoPaymentRepository(db);
  }

  async create(payment: Payment): Promise<void> {
    const existing = await insertUnique<PaymentSnapshot>(this.payments, payment.toSnapshot(), { orderId: payment.orderId });
    if (existing) throw new DuplicatePaymentError(Payment.fromSnapshot(existing));
  }

  get(id: string): Promise<Payment | undefined> {
    return this.one({ _id: id });
  }

  findByOrderId(orderId: string): Promise<Payment | undefined> {
    return this.one({ orderId });
  }

  findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined> {
    return this.one({ checkoutToken });
  }

  async update(id: string, change: (payment: Payment) => void): Promise<Payment | undefined> {
    const saved = await updateVersioned<PaymentSnapshot>(this.payments, { _id: id }, (before) => {
      const payment = Payment.fromSnapshot(before);
      change(payment);
      return payment.toSnapshot();
    });
    return saved && Payment.fromSnapshot(saved);
  }

  async pendingOutbox(limit: number): Promise<Array<{ paymentId: string; events: PaymentEvent[] }>> {
    const pending = await pendingDomainEvents<PaymentSnapshot>(this.payments, limit);
    return pending.map(({ id, events }) => ({ paymentId: id, events }));
  }

  markPublished(paymentId: string, eventIds: readonly string[]): Promise<void> {
    return pullPublishedEvents<PaymentSnapshot>(this.payments, paymentId, eventIds);
  }

  private async one(filter: Filter<PaymentDocument>): Promise<Payment | undefined> {
    const document = await this.payments.findOne(filter);
    return document ? Payment.fromSnapshot(fromVersionedDocument<PaymentSnapshot>(document)) : undefined;
  }
}
