import type { Db, Filter } from "mongodb";
import { MongoAggregates } from "@oms/platform/storage";
import { Order, type OrderSnapshot, type OrderStatus } from "../domain/order.js";
import {
  DuplicateIdempotencyKeyError,
  type ListOrdersQuery,
  type OrderPage,
  type OrderRepository,
} from "../domain/order-repository.js";
import { MongoOrderCounts, type OrderCountsOptions } from "./mongo-order-counts.js";
import { orderIndexes, ordersCollection, type OrderDocument } from "./mongo-order-documents.js";

const unpaidStatuses = ["PENDING", "AWAITING_PAYMENT"] as const;

/**
 * Orders in MongoDB (FerretDB in tests), on platform storage's aggregate
 * kit: one document per order with its outbox inside, so every change and
 * its events are one single-document write, saved by compare-and-set on
 * `version`. On FerretDB this is atomic only within one connection, which
 * `connectMongo` arranges (FERRETDB-NOTES.md).
 */
export class MongoOrderRepository extends MongoAggregates<Order, OrderSnapshot> implements OrderRepository {
  static readonly indexes = orderIndexes;
  private readonly counts: MongoOrderCounts;

  constructor(db: Db, countsOptions: OrderCountsOptions = {}) {
    // The unique index decides; the winner is this key's order (an equal ULID would be no idempotent retry).
    super(db, ordersCollection, Order, { unique: { field: "idempotencyKey", duplicate: (order) => new DuplicateIdempotencyKeyError(order) }, orderIdOf: (order) => order.id });
    this.counts = new MongoOrderCounts(this.collection, countsOptions);
  }

  findByIdempotencyKey(key: string): Promise<Order | undefined> {
    return this.findOne({ idempotencyKey: key });
  }

  async list(query: ListOrdersQuery): Promise<OrderPage> {
    const filter: Filter<OrderDocument> = {};
    if (query.customerId !== undefined) filter.customerId = query.customerId;
    if (query.beforeId !== undefined) filter._id = { $lt: query.beforeId };
    // One more than asked tells whether there is a next page.
    const found = await this.find(filter, { sort: { _id: -1 }, limit: query.limit + 1 });
    const page = found.slice(0, query.limit);
    return { orders: page, nextBeforeId: found.length > query.limit ? page.at(-1)?.id : undefined };
  }

  countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    return this.counts.byStatus();
  }

  findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]> {
    return this.find({ status: { $in: [...unpaidStatuses] }, paymentDeadline: { $lte: now } }, { sort: { paymentDeadline: 1 }, limit });
  }
}
