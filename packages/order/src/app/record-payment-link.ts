import type { Clock } from "./ports.js";
import { applyEvent, type EventDeps, type EventOutcome } from "./apply-event.js";

/** `payment.link_created`: payment opened a checkout; PENDING -> AWAITING_PAYMENT with its URL. Late or repeated: no change. */
export class RecordPaymentLink {
  constructor(private readonly deps: EventDeps & { clock: Clock }) {}

  execute(event: { orderId: string; checkoutUrl: string }): Promise<EventOutcome> {
    return applyEvent(this.deps, event.orderId, (order) => {
      if (order.status === "PENDING") order.awaitPayment(event.checkoutUrl, this.deps.clock());
    });
  }
}
