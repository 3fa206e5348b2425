import { MemoryAggregates } from "@oms/platform/storage";
import { Order, type OrderSnapshot, type OrderStatus } from "../domain/order.js";
import {
  DuplicateIdempotencyKeyError,
  type ListOrdersQuery,
  type OrderPage,
  type OrderRepository,
} from "../domain/order-repository.js";

/**
 * Orders in memory (the embedded mode and tests), on platform storage's
 * aggregate kit: updates, the outbox and trace context come from there; the
 * order's own queries are here.
 */
export class MemoryOrderRepository extends MemoryAggregates<Order, OrderSnapshot> implements OrderRepository {
  constructor() {
    super(Order, { unique: { field: "idempotencyKey", duplicate: (order) => new DuplicateIdempotencyKeyError(order) }, orderIdOf: (order) => order.id });
  }

  findByIdempotencyKey(key: string): Promise<Order | undefined> {
    return this.findUnique("idempotencyKey", key);
  }

  async list(query: ListOrdersQuery): Promise<OrderPage> {
    const matching = this.find(
      (order) => (query.customerId === undefined || order.customerId === query.customerId) && (query.beforeId === undefined || order.id < query.beforeId),
      (a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    const page = matching.slice(0, query.limit);
    return { orders: page, nextBeforeId: matching.length > query.limit ? page.at(-1)?.id : undefined };
  }

  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const counts: Partial<Record<OrderStatus, number>> = {};
    for (const order of this.find()) counts[order.status] = (counts[order.status] ?? 0) + 1;
    return counts;
  }

  async findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]> {
    const due = (order: OrderSnapshot) => (order.status === "PENDING" || order.status === "AWAITING_PAYMENT") && order.paymentDeadline <= now;
    return this.find(due, (a, b) => a.paymentDeadline.getTime() - b.paymentDeadline.getTime()).slice(0, limit);
  }
}
