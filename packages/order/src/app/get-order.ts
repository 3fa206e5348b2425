import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import { getOrderOrFail } from "./order-lookup.js";

/** GetOrder: one order by id; NOT_FOUND naming `id` when there is none, or when it is not `ownerId`'s. */
export class GetOrder {
  constructor(private readonly repository: OrderRepository) {}

  execute(id: string, ownerId?: string): Promise<Order> {
    return getOrderOrFail(this.repository, id, ownerId);
  }
}
