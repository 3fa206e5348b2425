import type { OrderRepository } from "../domain/order-repository.js";
import type { OrderChangeFeed } from "./order-change-feed.js";

/** Ids per read: a bounded `$in`, however many orders are watched. */
const idsPerRead = 500;

/**
 * Re-reads every order watched on this instance, for the changes another
 * instance stored (those never pass through this instance's feed), and hands
 * each to its watchers. One read per 500 watched orders per pass, where each
 * watcher used to re-read its own order: a thousand idle watchers were a
 * thousand queries a second. The service runs a pass every second.
 */
export class RefreshWatchedOrders {
  constructor(private readonly deps: { repository: Pick<OrderRepository, "getMany">; feed: Pick<OrderChangeFeed, "watchedIds" | "heard"> }) {}

  /** One pass; returns how many orders it read. */
  async execute(): Promise<number> {
    const ids = this.deps.feed.watchedIds();
    let read = 0;
    for (let start = 0; start < ids.length; start += idsPerRead) {
      const orders = await this.deps.repository.getMany(ids.slice(start, start + idsPerRead));
      for (const order of orders) this.deps.feed.heard(order);
      read += orders.length;
    }
    return read;
  }
}
