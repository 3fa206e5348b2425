import { DuplicateAggregateError, type AggregateRepository } from "@oms/platform/aggregate";
import type { Order, OrderStatus } from "./order.js";

/** Raised by `create` when an order with the same idempotency key exists; carries that order. */
export class DuplicateIdempotencyKeyError extends DuplicateAggregateError<Order> {
  constructor(existing: Order) {
    super(existing, `an order with idempotency key ${JSON.stringify(existing.idempotencyKey)} exists: ${existing.id}`);
  }
}

export interface OrderPage {
  /** Newest first. */
  orders: Order[];
  /** The id to pass as `beforeId` for the next page; undefined on the last page. */
  nextBeforeId?: string;
}

export interface ListOrdersQuery {
  /** Only this customer's orders; every order when undefined. */
  customerId?: string;
  /** At most this many orders. */
  limit: number;
  /** Only orders older than this id (ids are ULIDs: sorted by creation time). */
  beforeId?: string;
}

/**
 * Where orders live: `create` throws DuplicateIdempotencyKeyError when the
 * order's idempotency key is taken. Adapters: memory (embedded mode, tests)
 * and MongoDB, both on platform storage's aggregate kit (which gives create,
 * get, update and the outbox, each change one single-document write) and
 * held to test/order-repository.contract.ts.
 */
export interface OrderRepository extends AggregateRepository<Order> {
  /** The orders with these ids that exist, in no particular order: one read for many (the watched orders' refresh). */
  getMany(ids: readonly string[]): Promise<Order[]>;
  /** The stored version of each of these orders that exists, without reading the orders: which of them changed. */
  versionsOf(ids: readonly string[]): Promise<Map<string, number>>;
  /** The order created with this idempotency key, or undefined. */
  findByIdempotencyKey(key: string): Promise<Order | undefined>;
  /** Orders newest first, one page at a time. */
  list(query: ListOrdersQuery): Promise<OrderPage>;
  /** Unpaid orders (PENDING or AWAITING_PAYMENT) whose payment deadline is at or before `now`, at most `limit`. */
  findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]>;
  /** How many orders are in each status (statuses with none may be left out): the orders-by-status metric. */
  countByStatus(): Promise<Partial<Record<OrderStatus, number>>>;
}
