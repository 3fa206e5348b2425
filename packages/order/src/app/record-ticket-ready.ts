import type { Clock } from "./ports.js";
import { applyEvent, RetryLaterError, type EventDeps, type EventOutcome } from "./apply-event.js";

/**
 * `kitchen.ticket_ready`: PREPARING -> READY. Before PREPARING (the started
 * event is not applied yet): retry later, keeping the state machine strict.
 * READY or COMPLETED: a duplicate, no change.
 */
export class RecordTicketReady {
  constructor(private readonly deps: EventDeps & { clock: Clock }) {}

  execute(event: { orderId: string }): Promise<EventOutcome> {
    return applyEvent(this.deps, event.orderId, (order) => {
      if (order.status === "PREPARING") order.markReady(this.deps.clock());
      else if (order.status === "PENDING" || order.status === "AWAITING_PAYMENT" || order.status === "PAID") {
        throw new RetryLaterError(`order ${order.id} is ${order.status}; kitchen.ticket_ready waits for kitchen.ticket_started`);
      }
    });
  }
}
