import { ValidationError } from "@oms/platform/errors";
import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import { updateOrderOrFail } from "./order-lookup.js";
import type { Clock, OrderChanges } from "./ports.js";

export const defaultCancelReason = "cancelled by the customer";
const maxReasonLength = 500;

/**
 * CancelOrder: before payment only (PENDING or AWAITING_PAYMENT), raising
 * `order.cancelled`. A repeat on a cancelled order answers it as it is (the
 * domain recognises "already cancelled"), so a retry after a lost answer succeeds.
 */
export class CancelOrder {
  constructor(private readonly deps: { repository: OrderRepository; changes: OrderChanges; clock: Clock }) {}

  async execute(id: string, reason: string): Promise<Order> {
    if (reason.length > maxReasonLength) throw new ValidationError("reason", `must be at most ${maxReasonLength} characters`);
    const why = reason.trim() === "" ? defaultCancelReason : reason.trim();
    let changed = false;
    const order = await updateOrderOrFail(this.deps.repository, id, (order) => {
      changed = order.cancel(why, this.deps.clock());
    });
    if (changed) await this.deps.changes.stored(order);
    return order;
  }
}
