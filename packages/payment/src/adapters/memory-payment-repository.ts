import { checkoutTokenDigest } from "../app/checkout-token.js";
import { Payment, type PaymentSnapshot } from "../domain/payment.js";
import type { PaymentEvent } from "../domain/payment-events.js";
import { DuplicatePaymentError, type PaymentRepository } from "../domain/payment-repository.js";

/**
 * Payments in a Map of snapshots (the embedded mode and tests). Snapshots are
 * copied in and out, so callers never share state with the store; each
 * method runs without an await inside, so it is atomic in one process.
 */
export class MemoryPaymentRepository implements PaymentRepository {
  private readonly payments = new Map<string, PaymentSnapshot>();
  private readonly byOrderId = new Map<string, string>();
  /** Keyed by the token's digest, never the token: see checkoutTokenDigest. */
  private readonly byCheckoutToken = new Map<string, string>();

  async create(payment: Payment): Promise<void> {
    const existingId = this.byOrderId.get(payment.orderId);
    if (existingId !== undefined) throw new DuplicatePaymentError(Payment.fromSnapshot(this.payments.get(existingId)!));
    if (this.payments.has(payment.id)) throw new Error(`payment ${payment.id} exists`);
    const tokenKey = checkoutTokenDigest(payment.checkoutToken);
    if (this.byCheckoutToken.has(tokenKey)) throw new Error(`payment ${payment.id}: its checkout token is taken`);
    this.payments.set(payment.id, payment.toSnapshot());
    this.byOrderId.set(payment.orderId, payment.id);
    this.byCheckoutToken.set(tokenKey, payment.id);
  }

  async get(id: string): Promise<Payment | undefined> {
    const snapshot = this.payments.get(id);
    return snapshot && Payment.fromSnapshot(snapshot);
  }

  async findByOrderId(orderId: string): Promise<Payment | undefined> {
    const id = this.byOrderId.get(orderId);
    return id === undefined ? undefined : this.get(id);
  }

  async findByCheckoutToken(checkoutToken: string): Promise<Payment | undefined> {
    const id = this.byCheckoutToken.get(checkoutTokenDigest(checkoutToken));
    return id === undefined ? undefined : this.get(id);
  }

  async update(id: string, change: (payment: Payment) => void): Promise<Payment | undefined> {
    const snapshot = this.payments.get(id);
    if (!snapshot) return undefined;
    const payment = Payment.fromSnapshot(snapshot);
    change(payment);
    if (payment.version !== snapshot.version) this.payments.set(id, payment.toSnapshot());
    return Payment.fromSnapshot(this.payments.get(id)!);
  }

  async pendingOutbox(limit: number): Promise<Array<{ paymentId: string; events: PaymentEvent[] }>> {
    return [...this.payments.values()]
      .filter((payment) => payment.outbox.length > 0)
      .sort((a, b) => a.outbox[0]!.time.getTime() - b.outbox[0]!.time.getTime())
      .slice(0, limit)
      .map((payment) => ({ paymentId: payment.id, events: structuredClone(payment.outbox) }));
  }

  async markPublished(paymentId: string, eventIds: readonly string[]): Promise<void> {
    const snapshot = this.payments.get(paymentId);
    if (!snapshot) return;
    snapshot.outbox = snapshot.outbox.filter((event) => !eventIds.includes(event.id));
  }
}
