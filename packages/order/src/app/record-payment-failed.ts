import type { Clock } from "./ports.js";
import { applyEvent, type EventDeps, type EventOutcome } from "./apply-event.js";

export const defaultPaymentFailedReason = "payment failed";

/** `payment.failed`: an unpaid order is cancelled with the event's reason (`order.cancelled`). Otherwise: no change. */
export class RecordPaymentFailed {
  constructor(private readonly deps: EventDeps & { clock: Clock }) {}

  execute(event: { orderId: string; reason: string }): Promise<EventOutcome> {
    return applyEvent(this.deps, event.orderId, (order) => {
      if (order.canMoveTo("CANCELLED")) order.cancel(event.reason || defaultPaymentFailedReason, this.deps.clock());
    });
  }
}
