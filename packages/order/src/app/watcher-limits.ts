import { LimitError } from "@oms/platform/errors";

/** How many WatchOrder streams one instance holds open at once: overall, and for one order. */
export interface WatcherLimitOptions {
  /** Default 1,000: each open stream holds a subscription and a timer. */
  maxWatchers?: number;
  /** Default 8: a customer's page, a phone, the kitchen screen... more for one order is a loop gone wrong. */
  maxWatchersPerOrder?: number;
}

/**
 * Counts open watchers: `enter` refuses past a bound with LimitError
 * (RESOURCE_EXHAUSTED), `leave` frees the slot. A method rather than a
 * release closure per watcher (two objects each of many idle watchers held);
 * each watcher leaves once, after it entered.
 */
export class WatcherLimits {
  private total = 0;
  private readonly perOrder = new Map<string, number>();

  constructor(private readonly options: WatcherLimitOptions = {}) {}

  enter(orderId: string): void {
    const maxTotal = this.options.maxWatchers ?? 1_000;
    const maxPerOrder = this.options.maxWatchersPerOrder ?? 8;
    const forOrder = this.perOrder.get(orderId) ?? 0;
    if (this.total >= maxTotal) throw new LimitError(`too many orders are being watched (${maxTotal}); try again later`);
    if (forOrder >= maxPerOrder) throw new LimitError(`id: this order already has ${maxPerOrder} watchers`);
    this.total++;
    this.perOrder.set(orderId, forOrder + 1);
  }

  /** Frees a slot `enter` gave for the order; nothing if the order holds none. */
  leave(orderId: string): void {
    const forOrder = this.perOrder.get(orderId);
    if (forOrder === undefined) return;
    this.total--;
    if (forOrder === 1) this.perOrder.delete(orderId);
    else this.perOrder.set(orderId, forOrder - 1);
  }
}
