import type { Clock } from "./ports.js";
import { applyEvent, RetryLaterError, type EventDeps, type EventOutcome } from "./apply-event.js";

/** `kitchen.ticket_started`: PAID -> PREPARING. Not paid yet here: retry later. Further along: a duplicate, no change. */
export class RecordTicketStarted {
  constructor(private readonly deps: EventDeps & { clock: Clock }) {}

  execute(event: { orderId: string }): Promise<EventOutcome> {
    return applyEvent(this.deps, event.orderId, (order) => {
      if (order.status === "PAID") order.startPreparing(this.deps.clock());
      else if (order.status === "PENDING" || order.status === "AWAITING_PAYMENT") {
        throw new RetryLaterError(`order ${order.id} is ${order.status}; kitchen.ticket_started waits for the payment`);
      }
    });
  }
}
