import type { OrderRepository } from "../domain/order-repository.js";
import type { Clock, OrderChanges } from "./ports.js";

export const paymentDeadlineReason = "payment deadline passed";

/**
 * Cancels orders still unpaid at their payment deadline (`order.cancelled`,
 * reason "payment deadline passed"). Run on a timer; safe to run on several
 * instances at once, since each cancel re-checks the order inside its update.
 */
export class ExpireUnpaidOrders {
  constructor(private readonly deps: { repository: OrderRepository; changes: OrderChanges; clock: Clock; batchSize?: number }) {}

  /** Cancels the orders due now; returns how many it cancelled. */
  async execute(): Promise<number> {
    const now = this.deps.clock();
    const due = await this.deps.repository.findPastPaymentDeadline(now, this.deps.batchSize ?? 100);
    let cancelled = 0;
    for (const candidate of due) {
      let changed = false;
      const order = await this.deps.repository.update(candidate.id, (order) => {
        // Paid or cancelled since it was found: leave it.
        if (!order.isPastPaymentDeadline(now)) return;
        order.cancel(paymentDeadlineReason, now);
        changed = true;
      });
      if (order && changed) {
        cancelled += 1;
        await this.deps.changes.stored(order);
      }
    }
    return cancelled;
  }
}
