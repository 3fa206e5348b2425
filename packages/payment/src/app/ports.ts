import type { CheckoutLine } from "../domain/payment.js";

/** What a provider needs to open a checkout for one order. */
export interface OpenCheckoutInput {
  paymentId: string;
  /** The checkout's unguessable key: the simulated page's address and Stripe's return pages carry it. */
  checkoutToken: string;
  orderId: string;
  lines: CheckoutLine[];
  /** In minor units of `currency`. */
  total: number;
  /** ISO-4217, upper case. */
  currency: string;
  /** The order's payment deadline: the checkout should close by then. */
  expiresAt: Date;
  /**
   * Derived from the order: a retry (redelivered order.created, a crash
   * before the save) must get the same checkout back, never a second one.
   */
  idempotencyKey: string;
}

/**
 * A payment provider (simulated, Stripe). Opening, closing and refunding are
 * requests; the outcome (paid, failed) arrives later and asynchronously,
 * through an HTTP route of this service (the simulated checkout page, or
 * Stripe's webhook), which calls the RecordPayment* use cases.
 */
export interface PaymentProvider {
  openCheckout(input: OpenCheckoutInput): Promise<{ providerReference: string; checkoutUrl: string }>;
  /** Closes a checkout so it can no longer be paid; a checkout already closed is not an error. */
  expireCheckout(providerReference: string): Promise<void>;
  /** Gives `amount` (minor units) back; repeated calls for one checkout refund once. */
  refund(providerReference: string, amount: number): Promise<{ refundReference: string }>;
}

/** The time, replaceable in tests. */
export type Clock = () => Date;

/** Publishes what the last save put in the outbox (the outbox relay's flush). */
export type Publish = () => Promise<void>;

/**
 * Finds a payment by its own id (inside the service: auto-pay, after a
 * token lookup), its checkout token (the public checkout pages) or its
 * order's id (events, webhooks, GetPayment).
 */
export type PaymentLookup = { paymentId: string } | { orderId: string } | { checkoutToken: string };

/** Makes a new checkout token (newCheckoutToken; replaceable in tests). */
export type TokenSource = () => string;
