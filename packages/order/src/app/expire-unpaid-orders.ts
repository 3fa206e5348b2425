import type { OrderRepository } from "../domain/order-repository.js";
import { unscoped, type Clock, type OrderChanges, type OrderScope } from "./ports.js";

export const paymentDeadlineReason = "payment deadline passed";

/**
 * Cancels orders still unpaid at their payment deadline (`order.cancelled`,
 * reason "payment deadline passed"). Run on a timer; safe to run on several
 * instances at once, since each cancel re-checks the order inside its update.
 */
export class ExpireUnpaidOrders {
  constructor(private readonly deps: { repository: OrderRepository; changes: OrderChanges; clock: Clock; scope?: OrderScope; batchSize?: number }) {}

  /** Cancels the orders due now; returns how many it cancelled. */
  async execute(): Promise<number> {
    const now = this.deps.clock();
    const due = await this.deps.repository.findPastPaymentDeadline(now, this.deps.batchSize ?? 100);
    let cancelled = 0;
    for (const candidate of due) {
      if (await (this.deps.scope ?? unscoped)(candidate.id, () => this.expire(candidate.id, now))) cancelled += 1;
    }
    return cancelled;
  }

  /** Cancels one order if it is still unpaid past its deadline; true when it did. */
  private async expire(id: string, now: Date): Promise<boolean> {
    let changed = false;
    const order = await this.deps.repository.update(id, (order) => {
      // Paid or cancelled since it was found: leave it.
      if (!order.isPastPaymentDeadline(now)) return;
      order.cancel(paymentDeadlineReason, now);
      changed = true;
    });
    if (order && changed) await this.deps.changes.stored(order);
    return Boolean(order && changed);
  }
}
