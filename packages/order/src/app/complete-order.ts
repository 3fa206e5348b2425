import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import { updateOrderOrFail } from "./order-lookup.js";
import type { Clock, OrderChanges } from "./ports.js";

/**
 * CompleteOrder: the customer picked the order up, READY -> COMPLETED, raising
 * `order.completed`. A repeat on a completed order answers it as it is.
 */
export class CompleteOrder {
  constructor(private readonly deps: { repository: OrderRepository; changes: OrderChanges; clock: Clock }) {}

  async execute(id: string): Promise<Order> {
    let changed = false;
    const order = await updateOrderOrFail(this.deps.repository, id, (order) => {
      changed = order.complete(this.deps.clock());
    });
    if (changed) await this.deps.changes.stored(order);
    return order;
  }
}
