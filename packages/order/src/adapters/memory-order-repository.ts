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
    super(Order, {
      unique: { field: "idempotencyKey", duplicate: (order) => new DuplicateIdempotencyKeyError(order) },
      orderIdOf: (order) => order.id,
      indexes: { customer: (order) => order.customerId, status: (order) => order.status },
    });
  }

  findByIdempotencyKey(key: string): Promise<Order | undefined> {
    return this.findUnique("idempotencyKey", key);
  }

  async list(query: ListOrdersQuery): Promise<OrderPage> {
    const customer = query.customerId === undefined ? undefined : { index: "customer", key: query.customerId };
    // One more than the page: whether there is a next page. A page reads from its id on, whatever the history.
    const matching = this.newest(query.limit + 1, undefined, query.beforeId, customer);
    const page = matching.slice(0, query.limit);
    return { orders: page, nextBeforeId: matching.length > query.limit ? page.at(-1)?.id : undefined };
  }

  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    return this.countsBy("status");
  }

  async findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]> {
    const due = (order: OrderSnapshot) => order.paymentDeadline <= now;
    return this.findIn("status", ["PENDING", "AWAITING_PAYMENT"], due, (a, b) => a.paymentDeadline.getTime() - b.paymentDeadline.getTime(), limit);
  }
}
