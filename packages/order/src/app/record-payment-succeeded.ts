import type { Clock } from "./ports.js";
import { applyEvent, RetryLaterError, type EventDeps, type EventOutcome } from "./apply-event.js";

/**
 * `payment.succeeded`: AWAITING_PAYMENT -> PAID, raising `order.paid`.
 * Still PENDING means the link event is not applied yet: retry later.
 * Already CANCELLED: no change (payment refunds a late payment on its own,
 * from `order.cancelled`). Already PAID or further: a duplicate, no change.
 */
export class RecordPaymentSucceeded {
  constructor(private readonly deps: EventDeps & { clock: Clock }) {}

  execute(event: { orderId: string }): Promise<EventOutcome> {
    return applyEvent(this.deps, event.orderId, (order) => {
      if (order.status === "PENDING") {
        throw new RetryLaterError(`order ${order.id} is PENDING; payment.succeeded waits for payment.link_created`);
      }
      if (order.status === "AWAITING_PAYMENT") order.pay(this.deps.clock());
    });
  }
}
