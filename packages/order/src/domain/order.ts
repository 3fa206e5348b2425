import { VersionedAggregate } from "@oms/platform/aggregate";
import { PreconditionError } from "@oms/platform/errors";
import { times, type Money } from "./money.js";
import type { OrderEvent } from "./order-events.js";

export const orderStatuses = ["PENDING", "AWAITING_PAYMENT", "PAID", "PREPARING", "READY", "COMPLETED", "CANCELLED"] as const;

/** Where an order stands; see `legalMoves` for how it gets there. */
export type OrderStatus = (typeof orderStatuses)[number];

/**
 * The only legal moves (docs/architecture.md, "The order flow"). Everything else is
 * refused: an order is never un-paid, and once paid it can no longer be cancelled.
 */
export const legalMoves: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDING: ["AWAITING_PAYMENT", "CANCELLED"],
  AWAITING_PAYMENT: ["PAID", "CANCELLED"],
  PAID: ["PREPARING"],
  PREPARING: ["READY"],
  READY: ["COMPLETED"],
  COMPLETED: [],
  CANCELLED: [],
};

/** Statuses an order never leaves. */
export const finalStatuses: readonly OrderStatus[] = ["COMPLETED", "CANCELLED"];

/** One dish of an order: name and price as the menu had them when the order was placed. */
export interface OrderLine {
  itemId: string;
  name: string;
  quantity: number;
  unitPrice: Money;
}

/** Everything an order is, as stored. `version` grows by one with every change (optimistic concurrency). */
export interface OrderSnapshot {
  id: string;
  customerId: string;
  idempotencyKey: string;
  status: OrderStatus;
  lines: OrderLine[];
  total: Money;
  paymentUrl: string;
  paymentDeadline: Date;
  cancelReason: string;
  createTime: Date;
  updateTime: Date;
  version: number;
  /** Events decided but not yet confirmed by the bus, oldest first. */
  outbox: OrderEvent[];
}

export interface NewOrder {
  id: string;
  customerId: string;
  idempotencyKey: string;
  lines: OrderLine[];
  paymentDeadline: Date;
  now: Date;
}

/**
 * The order aggregate. Its status changes only through the guarded methods
 * below; each change that others must hear about appends its event to the
 * outbox, saved with the change and published after.
 */
export class Order extends VersionedAggregate<OrderSnapshot> {
  /** A PENDING order with `order.created` in its outbox. Lines must share one currency. */
  static create(input: NewOrder): Order {
    if (input.lines.length === 0) throw new PreconditionError("an order needs at least one line");
    const currency = input.lines[0]!.unitPrice.currencyCode;
    const other = input.lines.find((line) => line.unitPrice.currencyCode !== currency);
    if (other) {
      throw new PreconditionError(`items in different currencies cannot be ordered together (${currency} and ${other.unitPrice.currencyCode})`);
    }
    const lines = input.lines.map(copyLine);
    const total = lines.reduce((sum, line) => sum + times(line.unitPrice, line.quantity).amountMinor, 0);
    const order = new Order({
      id: input.id,
      customerId: input.customerId,
      idempotencyKey: input.idempotencyKey,
      status: "PENDING",
      lines,
      total: { currencyCode: currency, amountMinor: total },
      paymentUrl: "",
      paymentDeadline: new Date(input.paymentDeadline),
      cancelReason: "",
      createTime: new Date(input.now),
      updateTime: new Date(input.now),
      version: 1,
      outbox: [],
    });
    order.raise(input.now, {
      type: "order.created",
      orderId: order.id,
      customerId: order.customerId,
      lines: order.lines,
      total: order.total,
      paymentDeadline: order.paymentDeadline,
    });
    return order;
  }

  /** Rebuilds an order from storage. The snapshot is copied, unless `owned` says no one else holds it (the memory store hands over its own copy). */
  static fromSnapshot(snapshot: OrderSnapshot, owned = false): Order {
    return new Order(snapshot, owned);
  }

  get customerId(): string { return this.state.customerId; }
  get idempotencyKey(): string { return this.state.idempotencyKey; }
  get status(): OrderStatus { return this.state.status; }
  get lines(): OrderLine[] { return this.state.lines.map(copyLine); }
  get total(): Money { return { ...this.state.total }; }
  get paymentUrl(): string { return this.state.paymentUrl; }
  get paymentDeadline(): Date { return new Date(this.state.paymentDeadline); }
  get cancelReason(): string { return this.state.cancelReason; }
  get createTime(): Date { return new Date(this.state.createTime); }
  get updateTime(): Date { return new Date(this.state.updateTime); }

  /** True once the order can change no more (COMPLETED or CANCELLED). */
  get isFinal(): boolean { return finalStatuses.includes(this.state.status); }

  /** Whether `to` is a legal next status. */
  canMoveTo(to: OrderStatus): boolean {
    return legalMoves[this.state.status].includes(to);
  }

  /** True while the order is unpaid and its payment deadline has passed. */
  isPastPaymentDeadline(now: Date): boolean {
    return this.canMoveTo("CANCELLED") && this.state.paymentDeadline.getTime() <= now.getTime();
  }

  /** payment opened a checkout: PENDING -> AWAITING_PAYMENT, with the page to pay on. */
  awaitPayment(paymentUrl: string, now: Date): void {
    this.move("AWAITING_PAYMENT", "await payment", now);
    this.state.paymentUrl = paymentUrl;
  }

  /** The payment went through: AWAITING_PAYMENT -> PAID, raising `order.paid`. */
  pay(now: Date): void {
    this.move("PAID", "be paid", now);
    this.raise(now, { type: "order.paid", orderId: this.id, lines: this.lines, total: this.total });
  }

  /** The kitchen started cooking: PAID -> PREPARING. */
  startPreparing(now: Date): void {
    this.move("PREPARING", "start preparing", now);
  }

  /** The kitchen finished: PREPARING -> READY. */
  markReady(now: Date): void {
    this.move("READY", "be ready", now);
  }

  /**
   * The customer picked it up: READY -> COMPLETED, raising `order.completed`.
   * Already COMPLETED: nothing changes and it returns false (see `cancel`).
   */
  complete(now: Date): boolean {
    if (this.state.status === "COMPLETED") return false;
    this.move("COMPLETED", "complete", now);
    this.raise(now, { type: "order.completed", orderId: this.id });
    return true;
  }

  /**
   * Before payment only: PENDING | AWAITING_PAYMENT -> CANCELLED, raising
   * `order.cancelled`. Already CANCELLED: nothing changes (first reason, no
   * second event) and it returns false. A command's repeat after a lost answer
   * must be told "done", not "refused", or the caller cannot tell the two
   * apart; any other status still refuses (a paid order stays paid).
   */
  cancel(reason: string, now: Date): boolean {
    if (this.state.status === "CANCELLED") return false;
    this.move("CANCELLED", "cancel", now);
    this.state.cancelReason = reason;
    this.raise(now, { type: "order.cancelled", orderId: this.id, reason });
    return true;
  }

  private move(to: OrderStatus, verb: string, now: Date): void {
    if (!this.canMoveTo(to)) {
      throw new PreconditionError(`order ${this.id} is ${this.state.status}; cannot ${verb}`);
    }
    this.state.status = to;
    this.state.updateTime = new Date(now);
    this.touch();
  }
}

function copyLine(line: OrderLine): OrderLine {
  return { ...line, unitPrice: { ...line.unitPrice } };
}
