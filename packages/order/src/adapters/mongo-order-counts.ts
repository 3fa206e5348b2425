import type { Collection, Document } from "mongodb";
import { finalStatuses, orderStatuses, type OrderStatus } from "../domain/order.js";
import type { OrderDocument } from "./mongo-order-documents.js";

const inFlightStatuses = orderStatuses.filter((status) => !finalStatuses.includes(status));

/**
 * How long after its `updateTime` a finished order is surely stored: the
 * clock reading an order takes before its save, plus the save's retries and
 * the clock skew between order instances, stay far below this.
 */
const settleMs = 60_000;

export interface OrderCountsOptions {
  /** The wall clock by default; tests move it. */
  now?: () => Date;
}

/**
 * The orders-by-status gauge's counts on MongoDB without a scan of every
 * order per scrape. In-flight orders are few (they move on or are
 * cancelled): one `$match` on their statuses through the status index.
 * Finished orders are most of the history, but a finished order never changes
 * again, so its `updateTime` is when it finished: those that finished before
 * a settled horizon (now minus a minute) are counted once and kept here, and
 * each scrape adds the ones that settled since and counts the last minute's.
 *
 * Why not a counter document incremented when an order finishes: without
 * transactions (FerretDB has none) that is a second write, lost or doubled by
 * a crash between the two. Why not a count seeded at start and kept by this
 * process's own moves: with several order instances on one database each
 * would miss the others'. Everything here is read from the database, so every
 * instance reports the same figures, across restarts too; each instance
 * reads the settled history once, at its first scrape.
 */
export class MongoOrderCounts {
  private readonly now: () => Date;
  /** Finished orders counted so far and the horizon they were counted up to, replaced whole: a scrape never sees one without the other. */
  private settled: { counts: Partial<Record<OrderStatus, number>>; before?: Date } = { counts: {} };
  private settling?: Promise<void>;

  constructor(
    private readonly orders: Collection<OrderDocument>,
    options: OrderCountsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async byStatus(): Promise<Partial<Record<OrderStatus, number>>> {
    await this.settle();
    const settled = this.settled;
    const [inFlight, recent] = await Promise.all([
      this.count({ status: { $in: inFlightStatuses } }),
      this.count({ status: { $in: [...finalStatuses] }, updateTime: { $gte: settled.before } }),
    ]);
    const counts: Partial<Record<OrderStatus, number>> = { ...inFlight };
    for (const status of finalStatuses) {
      const total = (settled.counts[status] ?? 0) + (recent[status] ?? 0);
      if (total > 0) counts[status] = total;
    }
    return counts;
  }

  /** Moves the horizon up to a minute ago, adding what finished in between; one move at a time (two readers may scrape at once). */
  private settle(): Promise<void> {
    this.settling ??= this.moveHorizon().finally(() => (this.settling = undefined));
    return this.settling;
  }

  private async moveHorizon(): Promise<void> {
    const horizon = new Date(this.now().getTime() - settleMs);
    const { counts, before } = this.settled;
    if (before && horizon <= before) return;
    const finished = await this.count({ status: { $in: [...finalStatuses] }, updateTime: before ? { $gte: before, $lt: horizon } : { $lt: horizon } });
    const added = Object.fromEntries(finalStatuses.map((status) => [status, (counts[status] ?? 0) + (finished[status] ?? 0)]));
    this.settled = { counts: added, before: horizon };
  }

  private async count(filter: Document): Promise<Partial<Record<OrderStatus, number>>> {
    const groups = await this.orders.aggregate<{ _id: OrderStatus; count: number }>([{ $match: filter }, { $group: { _id: "$status", count: { $sum: 1 } } }]).toArray();
    return Object.fromEntries(groups.map((group) => [group._id, group.count]));
  }
}
