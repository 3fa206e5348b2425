import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import type { OrderChanges } from "./ports.js";

/** What an event did: changed the order, changed nothing (a duplicate or a late event), or named no known order. */
export type EventOutcome = "applied" | "unchanged" | "unknown-order";

/**
 * Thrown by a consumer when an event came before the one it depends on
 * (payment.succeeded before payment.link_created): the bus redelivers it
 * later, by which time the earlier event has been applied.
 */
export class RetryLaterError extends Error {
  override readonly name = "RetryLaterError";
}

export interface EventDeps {
  repository: OrderRepository;
  changes: OrderChanges;
}

/**
 * Runs a consumer's decision on one order inside the repository's update:
 * `decide` moves the order, leaves it as it is, or throws RetryLaterError.
 * Resolves only after the change is stored and published, so the consumer
 * acknowledges the event after its work is done.
 */
export async function applyEvent(deps: EventDeps, orderId: string, decide: (order: Order) => void): Promise<EventOutcome> {
  let versionBefore = 0;
  const order = await deps.repository.update(orderId, (order) => {
    versionBefore = order.version;
    decide(order);
  });
  if (!order) return "unknown-order";
  if (order.version === versionBefore) return "unchanged";
  await deps.changes.stored(order);
  return "applied";
}
