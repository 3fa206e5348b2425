import type { OrderRepository } from "../domain/order-repository.js";
import type { OrderChangeFeed } from "./order-change-feed.js";

/** Ids per read: a bounded `$in`, however many orders are watched. */
const idsPerRead = 500;

/**
 * Re-reads the orders watched on this instance that changed elsewhere (another
 * instance's changes never pass through this instance's feed), and hands
 * each to its watchers. A pass asks for the stored versions of every watched
 * order, 500 ids to a query, and reads in full only those stored since the
 * feed last handed them on: idle watchers cost a query of ids and versions,
 * where each watcher used to re-read its own order (a thousand idle watchers
 * were a thousand queries a second) and then every pass re-read them all
 * (900 of them, ~2 MB of copies a second in the embedded mode). The service
 * runs a pass every second.
 */
export class RefreshWatchedOrders {
  constructor(private readonly deps: { repository: Pick<OrderRepository, "getMany" | "versionsOf">; feed: Pick<OrderChangeFeed, "watchedIds" | "heard" | "newestHeard"> }) {}

  /** One pass; returns how many orders it read in full. */
  async execute(): Promise<number> {
    const { repository, feed } = this.deps;
    const ids = feed.watchedIds();
    let read = 0;
    for (let start = 0; start < ids.length; start += idsPerRead) {
      const versions = await repository.versionsOf(ids.slice(start, start + idsPerRead));
      const changed = [...versions].filter(([id, version]) => version > feed.newestHeard(id)).map(([id]) => id);
      if (changed.length === 0) continue;
      const orders = await repository.getMany(changed);
      for (const order of orders) feed.heard(order);
      read += orders.length;
    }
    return read;
  }
}
