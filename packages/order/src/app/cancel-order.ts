import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import { getOrderOrFail, updateOrderOrFail } from "./order-lookup.js";
import type { Clock, OrderChanges } from "./ports.js";

export const defaultCancelReason = "cancelled by the customer";

/**
 * CancelOrder: before payment only (PENDING or AWAITING_PAYMENT), raising
 * `order.cancelled`. A repeat on a cancelled order answers it as it is (the
 * domain recognises "already cancelled"), so a retry after a lost answer succeeds.
 */
export class CancelOrder {
  constructor(private readonly deps: { repository: OrderRepository; changes: OrderChanges; clock: Clock }) {}

  /** With `ownerId` (a customer cancelling), only that customer's order: another's is NOT_FOUND. */
  async execute(id: string, reason: string, ownerId?: string): Promise<Order> {
    // The owner never changes, so checking before the update is as good as inside it.
    if (ownerId !== undefined) await getOrderOrFail(this.deps.repository, id, ownerId);
    const why = reason.trim() === "" ? defaultCancelReason : reason.trim();
    let changed = false;
    const order = await updateOrderOrFail(this.deps.repository, id, (order) => {
      changed = order.cancel(why, this.deps.clock());
    });
    if (changed) await this.deps.changes.stored(order);
    return order;
  }
}
