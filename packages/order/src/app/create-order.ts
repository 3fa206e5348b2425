import { ConflictError, NotFoundError, PreconditionError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import type { Logger } from "@oms/platform/logging";
import { Order, type OrderLine } from "../domain/order.js";
import { DuplicateIdempotencyKeyError, type OrderRepository } from "../domain/order-repository.js";
import { unscoped, type Clock, type MenuCatalog, type OrderChanges, type OrderScope, type StockReservations } from "./ports.js";
import { validateCreateOrder, type CreateOrderInput } from "./validate-create-order.js";

export interface CreateOrderDeps {
  repository: OrderRepository;
  menu: MenuCatalog;
  stock: StockReservations;
  changes: OrderChanges;
  clock: Clock;
  /** How long a new order may stay unpaid. */
  paymentDeadlineMs: number;
  logger?: Logger;
  /** Marks the work on the new order, from the menu call on (OrderScope). */
  scope?: OrderScope;
}

/**
 * CreateOrder: prices the lines from the menu, reserves them with stock and
 * stores a PENDING order with `order.created` in its outbox. Idempotent on
 * the caller's key; when two requests with one key race, the one stored
 * first wins and the other releases its reservation (compensation).
 */
export class CreateOrder {
  constructor(private readonly deps: CreateOrderDeps) {}

  async execute(input: CreateOrderInput): Promise<Order> {
    validateCreateOrder(input);
    const existing = await this.deps.repository.findByIdempotencyKey(input.idempotencyKey);
    if (existing) return sameRequestOrConflict(existing, input);

    // The id is chosen first, so the menu and stock calls are already marked as work on this order.
    const id = newId();
    return (this.deps.scope ?? unscoped)(id, () => this.createNew(id, input));
  }

  private async createNew(id: string, input: CreateOrderInput): Promise<Order> {
    const now = this.deps.clock();
    const order = Order.create({
      id,
      customerId: input.customerId,
      idempotencyKey: input.idempotencyKey,
      lines: await this.priceLines(input),
      paymentDeadline: new Date(now.getTime() + this.deps.paymentDeadlineMs),
      now,
    });
    try {
      await this.deps.stock.reserve(order.id, input.lines);
    } catch (error) {
      // A concurrent request with this key may have taken the last units: its order is the answer.
      const winner = await this.deps.repository.findByIdempotencyKey(input.idempotencyKey);
      if (winner) return sameRequestOrConflict(winner, input);
      // Not enough stock, or stock unreachable: nothing was stored, so no order exists.
      throw error;
    }
    try {
      await this.deps.repository.create(order);
    } catch (error) {
      await this.releaseQuietly(order.id);
      if (error instanceof DuplicateIdempotencyKeyError) return sameRequestOrConflict(error.existing, input);
      throw error;
    }
    await this.deps.changes.stored(order);
    return order;
  }

  private async priceLines(input: CreateOrderInput): Promise<OrderLine[]> {
    const items = new Map((await this.deps.menu.findItems(input.lines.map((line) => line.itemId))).map((item) => [item.id, item]));
    return input.lines.map((line, index) => {
      const item = items.get(line.itemId);
      if (!item) throw new NotFoundError("menu item", line.itemId, `lines[${index}].item_id`);
      if (!item.available) throw new PreconditionError(`lines[${index}].item_id: ${item.name} (${item.id}) is not available`);
      return { itemId: item.id, name: item.name, quantity: line.quantity, unitPrice: item.price };
    });
  }

  private async releaseQuietly(orderId: string): Promise<void> {
    try {
      await this.deps.stock.release(orderId);
    } catch (error) {
      // The caller's answer does not depend on it; the held units stay held until someone releases them.
      this.deps.logger?.error({ err: error, orderId }, "could not release the reservation of an order that was not stored");
    }
  }
}

/** A retry gets the stored order; the same key with another request is a conflict. */
function sameRequestOrConflict(existing: Order, input: CreateOrderInput): Order {
  const sameLines =
    existing.lines.length === input.lines.length &&
    existing.lines.every((line, index) => line.itemId === input.lines[index]!.itemId && line.quantity === input.lines[index]!.quantity);
  if (existing.customerId !== input.customerId || !sameLines) {
    throw new ConflictError(`idempotency_key: already used for order ${existing.id} with a different request`);
  }
  return existing;
}
