import type { Order } from "../domain/order.js";
import type { OrderRepository } from "../domain/order-repository.js";
import type { OrderChangeFeed } from "./order-change-feed.js";
import { getOrderOrFail } from "./order-lookup.js";
import { WatcherLimits, type WatcherLimitOptions } from "./watcher-limits.js";

export interface WatchOrderDeps {
  repository: OrderRepository;
  feed: Pick<OrderChangeFeed, "subscribe">;
  /** How often to re-read the order, for changes another instance made. */
  pollIntervalMs?: number;
  /** Bounds on open watchers (defaults in WatcherLimits). */
  limits?: WatcherLimitOptions;
}

/**
 * WatchOrder: the order as it is now, then each later version, ending after
 * COMPLETED or CANCELLED (or when `signal` aborts). Changes stored by this
 * instance arrive through the feed, each one in turn; a periodic re-read
 * catches those stored elsewhere.
 */
export class WatchOrder {
  private readonly limits: WatcherLimits;

  constructor(private readonly deps: WatchOrderDeps) {
    this.limits = new WatcherLimits(deps.limits);
  }

  /** With `ownerId`, only that customer's order (another's is NOT_FOUND, as for GetOrder). */
  async *execute(id: string, signal?: AbortSignal, ownerId?: string): AsyncGenerator<Order> {
    const leave = this.limits.enter(id);
    const queue: Order[] = [];
    let wake: (() => void) | undefined;
    // Subscribe before the first read, so nothing stored in between is missed.
    const unsubscribe = this.deps.feed.subscribe(id, (order) => {
      queue.push(order);
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener("abort", onAbort);
    try {
      let last = await getOrderOrFail(this.deps.repository, id, ownerId);
      yield last;
      while (!last.isFinal && !signal?.aborted) {
        if (queue.length === 0) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            wake = resolve;
            timer = setTimeout(resolve, this.deps.pollIntervalMs ?? 1_000);
          });
          clearTimeout(timer);
          wake = undefined;
          if (queue.length === 0 && !signal?.aborted) {
            const current = await this.deps.repository.get(id);
            if (current) queue.push(current);
          }
        }
        const next = queue.shift();
        if (next && next.version > last.version) {
          last = next;
          yield next;
        }
      }
    } finally {
      leave();
      signal?.removeEventListener("abort", onAbort);
      unsubscribe();
    }
  }
}
