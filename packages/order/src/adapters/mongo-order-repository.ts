import type { Collection, Db, Filter } from "mongodb";
import {
  ensureIndexes,
  fromVersionedDocument,
  insertUnique,
  pendingDomainEvents,
  pullPublishedEvents,
  updateVersioned,
} from "@oms/platform/storage";
import { Order, type OrderSnapshot, type OrderStatus } from "../domain/order.js";
import type { OrderEvent } from "../domain/order-events.js";
import {
  DuplicateIdempotencyKeyError,
  type ListOrdersQuery,
  type OrderPage,
  type OrderRepository,
} from "../domain/order-repository.js";
import { orderIndexes, ordersCollection, type OrderDocument } from "./mongo-order-documents.js";

const unpaidStatuses = ["PENDING", "AWAITING_PAYMENT"] as const;

/**
 * Orders in MongoDB (FerretDB in tests), one document per order with its
 * outbox inside, so every change and its events are one single-document
 * write. Updates are a compare-and-set on `version` (platform storage's
 * versioned documents, as payment and kitchen). On FerretDB this is atomic
 * only within one connection, which `connectMongo` arranges (FERRETDB-NOTES.md).
 */
export class MongoOrderRepository implements OrderRepository {
  private readonly orders: Collection<OrderDocument>;

  constructor(db: Db) {
    this.orders = db.collection<OrderDocument>(ordersCollection);
  }

  /** A repository over `db`, its indexes created first (idempotent; run at service start). */
  static async open(db: Db): Promise<MongoOrderRepository> {
    await ensureIndexes(db, orderIndexes);
    return new MongoOrderRepository(db);
  }

  async create(order: Order): Promise<void> {
    // The unique index decides; the winner is this key's order (an equal ULID would be no idempotent retry).
    const existing = await insertUnique<OrderSnapshot>(this.orders, order.toSnapshot(), { idempotencyKey: order.idempotencyKey });
    if (existing) throw new DuplicateIdempotencyKeyError(Order.fromSnapshot(existing));
  }

  async get(id: string): Promise<Order | undefined> {
    return this.one({ _id: id });
  }

  async findByIdempotencyKey(key: string): Promise<Order | undefined> {
    return this.one({ idempotencyKey: key });
  }

  async update(id: string, change: (order: Order) => void): Promise<Order | undefined> {
    const saved = await updateVersioned<OrderSnapshot>(this.orders, { _id: id }, (before) => {
      const order = Order.fromSnapshot(before);
      change(order);
      return order.toSnapshot();
    });
    return saved && Order.fromSnapshot(saved);
  }

  async list(query: ListOrdersQuery): Promise<OrderPage> {
    const filter: Filter<OrderDocument> = {};
    if (query.customerId !== undefined) filter.customerId = query.customerId;
    if (query.beforeId !== undefined) filter._id = { $lt: query.beforeId };
    // One more than asked tells whether there is a next page.
    const documents = await this.orders.find(filter).sort({ _id: -1 }).limit(query.limit + 1).toArray();
    const page = documents.slice(0, query.limit).map(toOrder);
    return { orders: page, nextBeforeId: documents.length > query.limit ? page.at(-1)?.id : undefined };
  }

  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const groups = await this.orders.aggregate<{ _id: OrderStatus; count: number }>([{ $group: { _id: "$status", count: { $sum: 1 } } }]).toArray();
    return Object.fromEntries(groups.map((group) => [group._id, group.count]));
  }

  async findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]> {
    const documents = await this.orders
      .find({ status: { $in: [...unpaidStatuses] }, paymentDeadline: { $lte: now } })
      .sort({ paymentDeadline: 1 })
      .limit(limit)
      .toArray();
    return documents.map(toOrder);
  }

  async pendingOutbox(limit: number): Promise<Array<{ orderId: string; events: OrderEvent[] }>> {
    const pending = await pendingDomainEvents<OrderSnapshot>(this.orders, limit);
    return pending.map(({ id, events }) => ({ orderId: id, events }));
  }

  markPublished(orderId: string, eventIds: readonly string[]): Promise<void> {
    return pullPublishedEvents<OrderSnapshot>(this.orders, orderId, eventIds);
  }

  private async one(filter: Filter<OrderDocument>): Promise<Order | undefined> {
    const document = await this.orders.findOne(filter);
    return document ? toOrder(document) : undefined;
  }
}

function toOrder(document: OrderDocument): Order {
  return Order.fromSnapshot(fromVersionedDocument<OrderSnapshot>(document));
}
