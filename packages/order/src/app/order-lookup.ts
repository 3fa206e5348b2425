import { NotFoundError } from "@oms/platform/errors";
import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";

/**
 * The order, or NotFoundError naming the field `id`. With `ownerId` (a
 * customer asking), another customer's order is not found either: the
 * answer must not reveal that it exists.
 */
export async function getOrderOrFail(repository: OrderRepository, id: string, ownerId?: string): Promise<Order> {
  const order = await repository.get(id);
  if (!order || (ownerId !== undefined && order.customerId !== ownerId)) throw new NotFoundError("order", id, "id");
  return order;
}

/**
 * Applies a domain move (which throws PreconditionError when illegal) and
 * returns the stored order, or NotFoundError naming the field `id`.
 */
export async function updateOrderOrFail(repository: OrderRepository, id: string, change: (order: Order) => void): Promise<Order> {
  const order = await repository.update(id, change);
  if (!order) throw new NotFoundError("order", id, "id");
  return order;
}
