import { VersionedAggregate } from "@oms/platform/aggregate";
import { PreconditionError } from "@oms/platform/errors";
import type { PaymentEvent } from "./payment-events.js";

/** An amount in integer minor units of an ISO-4217 currency: never a float. */
export interface Money {
  currencyCode: string;
  amountMinor: number;
}

/** One line of the order being paid, as the checkout shows it. */
export interface CheckoutLine {
  name: string;
  quantity: number;
  unitPriceMinor: number;
}

export const paymentStatuses = ["AWAITING_CUSTOMER", "SUCCEEDED", "FAILED", "CANCELLED", "REFUNDED"] as const;

/** Where a payment stands; see `legalMoves`. */
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * The only legal moves. CANCELLED and FAILED may still become REFUNDED:
 * money that arrives after the order was given up (a late provider report, a
 * stale checkout page) is given back, never kept.
 */
export const legalMoves: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  AWAITING_CUSTOMER: ["SUCCEEDED", "FAILED", "CANCELLED"],
  SUCCEEDED: ["REFUNDED"],
  FAILED: ["REFUNDED"],
  CANCELLED: ["REFUNDED"],
  REFUNDED: [],
};

/** Everything a payment is, as stored. `version` grows by one with every change. */
export interface PaymentSnapshot {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: Money;
  lines: CheckoutLine[];
  /** "simulated" or "stripe". */
  provider: string;
  /** The provider's id of the checkout (a Checkout Session id with Stripe); "" until opened. */
  providerReference: string;
  checkoutUrl: string;
  /**
   * The checkout's only public key: its page is /checkout/<token>. Random
   * (made outside the domain), never derived from the id, which is guessable.
   */
  checkoutToken: string;
  /**
   * Order took this payment (order.paid). Until then a SUCCEEDED payment may
   * still be refunded: the order can have been cancelled in the same moment.
   */
  orderAccepted: boolean;
  /** When the checkout should close: the order's payment deadline. */
  expiresAt: Date;
  /** Why it failed, was cancelled or was given back; "" otherwise. */
  failureReason: string;
  /** The provider's id of the refund, once refunded. */
  refundReference: string;
  createTime: Date;
  updateTime: Date;
  version: number;
  /** Events decided but not yet confirmed by the bus, oldest first. */
  outbox: PaymentEvent[];
}

export interface NewPayment {
  id: string;
  orderId: string;
  checkoutToken: string;
  amount: Money;
  lines: CheckoutLine[];
  provider: string;
  expiresAt: Date;
  now: Date;
}

/**
 * The payment of one order. Its status changes only through the guarded
 * methods below; what the order service must hear goes to the outbox.
 */
export class Payment extends VersionedAggregate<PaymentSnapshot> {
  /** AWAITING_CUSTOMER with no checkout yet: the provider is asked next (see attachCheckout). */
  static open(input: NewPayment): Payment {
    if (input.lines.length === 0) throw new PreconditionError(`order ${input.orderId}: a payment needs at least one line`);
    if (!Number.isSafeInteger(input.amount.amountMinor) || input.amount.amountMinor <= 0) {
      throw new PreconditionError(`order ${input.orderId}: the amount to pay must be a positive whole number of minor units`);
    }
    if (!/^[A-Z]{3}$/.test(input.amount.currencyCode)) throw new PreconditionError(`order ${input.orderId}: currency must be an ISO-4217 code`);
    return new Payment({
      ...blank(input, input.now),
      amount: { ...input.amount },
      lines: input.lines.map((line) => ({ ...line })),
      expiresAt: new Date(input.expiresAt),
    });
  }

  /**
   * The record of an order cancelled before its payment was opened (the
   * events crossed): a later order.created then finds it and opens nothing.
   */
  static forCancelledOrder(input: Identity & { reason: string; now: Date }): Payment {
    return new Payment({ ...blank(input, input.now), status: "CANCELLED", failureReason: input.reason });
  }

  /** Rebuilds a payment from storage. The snapshot is copied, unless `owned` says no one else holds it (the memory store hands over its own copy). */
  static fromSnapshot(snapshot: PaymentSnapshot, owned = false): Payment {
    return new Payment(snapshot, owned);
  }

  get orderId(): string { return this.state.orderId; }
  get status(): PaymentStatus { return this.state.status; }
  get amount(): Money { return { ...this.state.amount }; }
  get lines(): CheckoutLine[] { return this.state.lines.map((line) => ({ ...line })); }
  get provider(): string { return this.state.provider; }
  get providerReference(): string { return this.state.providerReference; }
  get checkoutUrl(): string { return this.state.checkoutUrl; }
  // Payments stored before checkout tokens existed have none.
  get checkoutToken(): string { return this.state.checkoutToken ?? ""; }
  /** True once order took the money (order.paid): the outcome is final. */
  // Payments stored before order.paid was heard have no such field: compared, not read, so they read false.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-boolean-literal-compare
  get orderAccepted(): boolean { return this.state.orderAccepted === true; }
  get expiresAt(): Date { return new Date(this.state.expiresAt); }
  get failureReason(): string { return this.state.failureReason; }
  get refundReference(): string { return this.state.refundReference; }
  get createTime(): Date { return new Date(this.state.createTime); }
  get updateTime(): Date { return new Date(this.state.updateTime); }

  /** True once the provider opened a checkout for it. */
  get hasCheckout(): boolean { return this.state.providerReference !== ""; }

  /** True when money reported now must be given back: the order was given up before it was paid. */
  get refusesPayment(): boolean { return this.state.status === "CANCELLED" || this.state.status === "FAILED"; }

  canMoveTo(to: PaymentStatus): boolean {
    return legalMoves[this.state.status].includes(to);
  }

  /**
   * The provider opened the checkout. Raises `payment.link_created` while the
   * customer can still pay; a payment cancelled meanwhile only records it (to be expired).
   */
  attachCheckout(providerReference: string, checkoutUrl: string, now: Date): void {
    if (this.hasCheckout) throw new PreconditionError(`payment ${this.id} already has checkout ${this.state.providerReference}`);
    this.state.providerReference = providerReference;
    this.state.checkoutUrl = checkoutUrl;
    this.changed(now);
    if (this.state.status === "AWAITING_CUSTOMER") {
      this.raise(now, { type: "payment.link_created", orderId: this.orderId, paymentId: this.id, checkoutUrl });
    }
  }

  /** The customer paid: AWAITING_CUSTOMER -> SUCCEEDED, raising `payment.succeeded`. */
  succeed(now: Date): void {
    if (!this.hasCheckout) throw new PreconditionError(`payment ${this.id} has no checkout to pay through`);
    this.move("SUCCEEDED", "succeed", now);
    this.raise(now, { type: "payment.succeeded", orderId: this.orderId, paymentId: this.id, amount: this.amount });
  }

  /** The customer gave up or the provider refused: AWAITING_CUSTOMER -> FAILED, raising `payment.failed`. */
  fail(reason: string, now: Date): void {
    this.move("FAILED", "fail", now);
    this.state.failureReason = reason;
    this.raise(now, { type: "payment.failed", orderId: this.orderId, paymentId: this.id, reason });
  }

  /** The order was cancelled unpaid: AWAITING_CUSTOMER -> CANCELLED (order already knows: no event). */
  cancel(reason: string, now: Date): void {
    this.move("CANCELLED", "be cancelled", now);
    this.state.failureReason = reason;
  }

  /**
   * Order took this payment (order.paid): a SUCCEEDED payment is final now.
   * Anything else cannot be accepted (order pays only on payment.succeeded).
   */
  acceptByOrder(now: Date): void {
    if (this.state.status !== "SUCCEEDED") throw new PreconditionError(`payment ${this.id} is ${this.state.status}; order cannot accept it`);
    if (this.orderAccepted) return;
    this.state.orderAccepted = true;
    this.changed(now);
  }

  /** The money went back to the customer: SUCCEEDED | CANCELLED | FAILED -> REFUNDED, recorded with why. */
  refund(refundReference: string, reason: string, now: Date): void {
    this.move("REFUNDED", "be refunded", now);
    this.state.refundReference = refundReference;
    this.state.failureReason = reason;
  }

  private move(to: PaymentStatus, verb: string, now: Date): void {
    if (!this.canMoveTo(to)) throw new PreconditionError(`payment ${this.id} is ${this.state.status}; cannot ${verb}`);
    this.state.status = to;
    this.changed(now);
  }

  private changed(now: Date): void {
    this.state.updateTime = new Date(now);
    this.touch();
  }
}

/** What every payment is created with; a checkout token is required even when no checkout will open, so each is unique. */
type Identity = { id: string; orderId: string; provider: string; checkoutToken: string };

function blank({ id, orderId, provider, checkoutToken }: Identity, now: Date): PaymentSnapshot {
  if (checkoutToken === "") throw new PreconditionError(`order ${orderId}: a payment needs a checkout token`);
  return {
    id,
    orderId,
    status: "AWAITING_CUSTOMER",
    amount: { currencyCode: "", amountMinor: 0 },
    lines: [],
    provider,
    providerReference: "",
    checkoutUrl: "",
    checkoutToken,
    orderAccepted: false,
    expiresAt: new Date(now),
    failureReason: "",
    refundReference: "",
    createTime: new Date(now),
    updateTime: new Date(now),
    version: 1,
    outbox: [],
  };
}
