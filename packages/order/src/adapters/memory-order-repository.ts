import { Order, type OrderSnapshot, type OrderStatus } from "../domain/order.js";
import type { OrderEvent } from "../domain/order-events.js";
import {
  DuplicateIdempotencyKeyError,
  type ListOrdersQuery,
  type OrderPage,
  type OrderRepository,
} from "../domain/order-repository.js";

/**
 * Orders in a Map of snapshots (the embedded mode and tests). Snapshots are
 * copied in and out, so callers never share state with the store.
 */
export class MemoryOrderRepository implements OrderRepository {
  private readonly orders = new Map<string, OrderSnapshot>();
  private readonly byIdempotencyKey = new Map<string, string>();

  async create(order: Order): Promise<void> {
    const existingId = this.byIdempotencyKey.get(order.idempotencyKey);
    if (existingId !== undefined) throw new DuplicateIdempotencyKeyError(Order.fromSnapshot(this.orders.get(existingId)!));
    if (this.orders.has(order.id)) throw new Error(`order ${order.id} exists`);
    this.orders.set(order.id, order.toSnapshot());
    this.byIdempotencyKey.set(order.idempotencyKey, order.id);
  }

  async get(id: string): Promise<Order | undefined> {
    const snapshot = this.orders.get(id);
    return snapshot && Order.fromSnapshot(snapshot);
  }

  async findByIdempotencyKey(key: string): Promise<Order | undefined> {
    const id = this.byIdempotencyKey.get(key);
    return id === undefined ? undefined : this.get(id);
  }

  async update(id: string, change: (order: Order) => void): Promise<Order | undefined> {
    const snapshot = this.orders.get(id);
    if (!snapshot) return undefined;
    // Load, change and save without an await in between: atomic in one process.
    const order = Order.fromSnapshot(snapshot);
    change(order);
    if (order.version !== snapshot.version) this.orders.set(id, order.toSnapshot());
    return Order.fromSnapshot(this.orders.get(id)!);
  }

  async list(query: ListOrdersQuery): Promise<OrderPage> {
    const matching = [...this.orders.values()]
      .filter((order) => query.customerId === undefined || order.customerId === query.customerId)
      .filter((order) => query.beforeId === undefined || order.id < query.beforeId)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const page = matching.slice(0, query.limit).map((snapshot) => Order.fromSnapshot(snapshot));
    const more = matching.length > query.limit;
    return { orders: page, nextBeforeId: more ? page.at(-1)?.id : undefined };
  }

  async countByStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    const counts: Partial<Record<OrderStatus, number>> = {};
    for (const order of this.orders.values()) counts[order.status] = (counts[order.status] ?? 0) + 1;
    return counts;
  }

  async findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]> {
    return [...this.orders.values()]
      .filter((order) => (order.status === "PENDING" || order.status === "AWAITING_PAYMENT") && order.paymentDeadline <= now)
      .sort((a, b) => a.paymentDeadline.getTime() - b.paymentDeadline.getTime())
      .slice(0, limit)
      .map((snapshot) => Order.fromSnapshot(snapshot));
  }

  async pendingOutbox(limit: number): Promise<Array<{ orderId: string; events: OrderEvent[] }>> {
    return [...this.orders.values()]
      .filter((order) => order.outbox.length > 0)
      .sort((a, b) => a.outbox[0]!.time.getTime() - b.outbox[0]!.time.getTime())
      .slice(0, limit)
      .map((order) => ({ orderId: order.id, events: structuredClone(order.outbox) }));
  }

  async markPublished(orderId: string, eventIds: readonly string[]): Promise<void> {
    const snapshot = this.orders.get(orderId);
    if (!snapshot) return;
    snapshot.outbox = snapshot.outbox.filter((event) => !eventIds.includes(event.id));
  }
}
