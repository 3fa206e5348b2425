import type { Order, OrderStatus } from "./order.js";

/** Raised by `create` when an order with the same idempotency key exists; carries that order. */
export class DuplicateIdempotencyKeyError extends Error {
  override readonly name = "DuplicateIdempotencyKeyError";
  constructor(readonly existing: Order) {
    super(`an order with idempotency key ${JSON.stringify(existing.idempotencyKey)} exists: ${existing.id}`);
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
 * Where orders live. Adapters: memory (embedded mode, tests) and MongoDB,
 * both on platform storage's aggregate kit and held to
 * test/order-repository.contract.ts. Every change is one atomic
 * single-document write (FerretDB has no transactions), and the outbox
 * travels inside the order document (the relay reads it through the
 * adapters, not through this port).
 */
export interface OrderRepository {
  /** Stores a new order; throws DuplicateIdempotencyKeyError when its key is taken (atomically, also under races). */
  create(order: Order): Promise<void>;
  /** The order, or undefined. */
  get(id: string): Promise<Order | undefined>;
  /** The order created with this idempotency key, or undefined. */
  findByIdempotencyKey(key: string): Promise<Order | undefined>;
  /**
   * Loads the order, applies `change` (a domain method; it may throw to
   * refuse, and then nothing is saved) and saves it if its version moved.
   * Returns the order as stored, or undefined when there is no such order.
   * Retries `change` on a fresh copy if another writer got there first.
   */
  update(id: string, change: (order: Order) => void): Promise<Order | undefined>;
  /** Orders newest first, one page at a time. */
  list(query: ListOrdersQuery): Promise<OrderPage>;
  /** Unpaid orders (PENDING or AWAITING_PAYMENT) whose payment deadline is at or before `now`, at most `limit`. */
  findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]>;
  /** How many orders are in each status (statuses with none may be left out): the orders-by-status metric. */
  countByStatus(): Promise<Partial<Record<OrderStatus, number>>>;
}
