import { NotFoundError, ValidationError } from "@oms/platform/errors";
import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";

/** Refuses an empty order id, naming the request field `id`. */
export function requireOrderId(id: string): void {
  if (id.trim() === "") throw new ValidationError("id", "is required");
}

/** The order, or NotFoundError naming the field `id`. */
export async function getOrderOrFail(repository: OrderRepository, id: string): Promise<Order> {
  requireOrderId(id);
  const order = await repository.get(id);
  if (!order) throw new NotFoundError("order", id, "id");
  return order;
}

/**
 * Applies a domain move (which throws PreconditionError when illegal) and
 * returns the stored order, or NotFoundError naming the field `id`.
 */
export async function updateOrderOrFail(repository: OrderRepository, id: string, change: (order: Order) => void): Promise<Order> {
  requireOrderId(id);
  const order = await repository.update(id, change);
  if (!order) throw new NotFoundError("order", id, "id");
  return order;
}
