import type { Collection, Db, Filter, UpdateFilter } from "mongodb";
import { UnavailableError } from "@oms/platform/errors";
import { ensureIndexes, isDuplicateKeyError } from "@oms/platform/storage";
import { Order, type OrderStatus } from "../domain/order.js";
import type { OrderEvent } from "../domain/order-events.js";
import {
  DuplicateIdempotencyKeyError,
  type ListOrdersQuery,
  type OrderPage,
  type OrderRepository,
} from "../domain/order-repository.js";
import { fromOrderDocument, orderIndexes, ordersCollection, orderUpdate, toOrderDocument, type OrderDocument } from "./mongo-order-documents.js";

/** How often `update` reloads and reapplies a change that lost the race before giving up. */
const maxUpdateAttempts = 50;

const unpaidStatuses = ["PENDING", "AWAITING_PAYMENT"] as const;

/**
 * Orders in MongoDB (FerretDB in tests), one document per order with its
 * outbox inside, so every change and its events are one single-document
 * write. Updates are a compare-and-set on `version`. On FerretDB this is
 * atomic only within one connection, which `connectMongo` arranges
 * (FERRETDB-NOTES.md).
 */
export class MongoOrderRepository implements OrderRepository {
  private readonly orders: Collection<OrderDocument>;

  constructor(db: Db) {
    this.orders = db.collection<OrderDocument>(ordersCollection);
  }

  /** A repository over `db`, its indexes created first (idempotent; run at service start). */
  static async open(db: Db): Promise<MongoOrderRepository> {
    // One index per createIndexes command: FerretDB 1.24 panics and drops the
    // connection when a command of two or more indexes finds them all there
    // already (every restart); one at a time is a no-op as on MongoDB.
    for (const [collection, indexes] of Object.entries(orderIndexes)) {
      for (const index of indexes) await ensureIndexes(db, { [collection]: [index] });
    }
    return new MongoOrderRepository(db);
  }

  async create(order: Order): Promise<void> {
    try {
      await this.orders.insertOne(toOrderDocument(order.toSnapshot()));
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // The unique index decided; the winner may be this key's order, or (never
      // with ULIDs) an order with the same id, which is no idempotent retry.
      const existing = await this.findByIdempotencyKey(order.idempotencyKey);
      if (existing) throw new DuplicateIdempotencyKeyError(existing);
      throw error;
    }
  }

  async get(id: string): Promise<Order | undefined> {
    return this.one({ _id: id });
  }

  async findByIdempotencyKey(key: string): Promise<Order | undefined> {
    return this.one({ idempotencyKey: key });
  }

  async update(id: string, change: (order: Order) => void): Promise<Order | undefined> {
    for (let attempt = 1; attempt <= maxUpdateAttempts; attempt++) {
      const stored = await this.get(id);
      if (!stored) return undefined;
      const before = stored.toSnapshot();
      change(stored);
      const after = stored.toSnapshot();
      if (after.version === before.version) return Order.fromSnapshot(before);
      const saved = await this.orders.findOneAndUpdate({ _id: id, version: before.version }, orderUpdate(before, after), {
        returnDocument: "after",
      });
      if (saved) return Order.fromSnapshot(fromOrderDocument(saved));
      // Another writer saved first: apply the change again to its version.
    }
    throw new UnavailableError(`order ${id} changed ${maxUpdateAttempts} times while this change was being applied; try again`);
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
    // Filter and sort on the first event's time (the sparse index); FerretDB
    // 1.24 ignores a sort on `outbox.time` over the whole array.
    const documents = await this.orders
      .find({ "outbox.0.time": { $exists: true } } as Filter<OrderDocument>, { projection: { outbox: 1 } })
      .sort({ "outbox.0.time": 1 })
      .limit(limit)
      .toArray();
    return documents.map((document) => ({ orderId: document._id, events: document.outbox }));
  }

  async markPublished(orderId: string, eventIds: readonly string[]): Promise<void> {
    const document = await this.orders.findOne({ _id: orderId }, { projection: { outbox: 1 } });
    const published = (document?.outbox ?? []).filter((event) => eventIds.includes(event.id));
    if (published.length === 0) return;
    // `$pullAll` with the stored elements themselves: FerretDB 1.24 silently
    // ignores `$pull` by condition. Equal elements only, so events pushed by a
    // concurrent update stay.
    await this.orders.updateOne({ _id: orderId }, { $pullAll: { outbox: published } } as UpdateFilter<OrderDocument>);
  }

  private async one(filter: Filter<OrderDocument>): Promise<Order | undefined> {
    const document = await this.orders.findOne(filter);
    return document ? toOrder(document) : undefined;
  }
}

function toOrder(document: OrderDocument): Order {
  return Order.fromSnapshot(fromOrderDocument(document));
}
