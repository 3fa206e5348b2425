import { UnavailableError } from "@oms/platform/errors";
import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import type { OrderChanges } from "./ports.js";

/** What an event did: changed the order, changed nothing (a duplicate or a late event), or named no known order. */
export type EventOutcome = "applied" | "unchanged" | "unknown-order";

/**
 * Thrown by a consumer when an event came before the one it depends on
 * (payment.succeeded before payment.link_created): the bus redelivers it
 * later, by which time the earlier event has been applied. A "not now", not a
 * poison message (an UnavailableError): the bus waits for the earlier event
 * however long its publisher is down, instead of dead-lettering this one.
 */
export class RetryLaterError extends UnavailableError {}

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
