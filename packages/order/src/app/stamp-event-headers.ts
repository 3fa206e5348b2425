import type { Order } from "../domain/order.js";
import type { ListOrdersQuery, OrderPage, OrderRepository } from "../domain/order-repository.js";
import type { OrderEvent } from "../domain/order-events.js";

/**
 * The repository, with every event raised in a create or update stamped with
 * `headers()` at that moment: called inside the request or delivery that
 * raised the event, it captures that work's trace context, which the event
 * keeps in the outbox however much later the relay publishes it.
 */
export class StampingEventHeaders implements OrderRepository {
  constructor(
    private readonly repository: OrderRepository,
    private readonly headers: () => Record<string, string>,
  ) {}

  create(order: Order): Promise<void> {
    this.stamp(order, new Set());
    return this.repository.create(order);
  }

  update(id: string, change: (order: Order) => void): Promise<Order | undefined> {
    return this.repository.update(id, (order) => {
      const earlier = new Set(order.outbox.map((event) => event.id));
      change(order);
      this.stamp(order, earlier);
    });
  }

  get(id: string): Promise<Order | undefined> {
    return this.repository.get(id);
  }

  findByIdempotencyKey(key: string): Promise<Order | undefined> {
    return this.repository.findByIdempotencyKey(key);
  }

  list(query: ListOrdersQuery): Promise<OrderPage> {
    return this.repository.list(query);
  }

  findPastPaymentDeadline(now: Date, limit: number): Promise<Order[]> {
    return this.repository.findPastPaymentDeadline(now, limit);
  }

  pendingOutbox(limit: number): Promise<Array<{ orderId: string; events: OrderEvent[] }>> {
    return this.repository.pendingOutbox(limit);
  }

  markPublished(orderId: string, eventIds: readonly string[]): Promise<void> {
    return this.repository.markPublished(orderId, eventIds);
  }

  countByStatus(): ReturnType<OrderRepository["countByStatus"]> {
    return this.repository.countByStatus();
  }

  /** Stamps the events raised by this change (those not in `earlier`). */
  private stamp(order: Order, earlier: ReadonlySet<string>): void {
    const raised = order.outbox.filter((event) => !earlier.has(event.id)).map((event) => event.id);
    if (raised.length === 0) return;
    const current = this.headers();
    if (Object.keys(current).length > 0) order.stampEvents(raised, current);
  }
}
