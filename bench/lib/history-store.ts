import { VersionedAggregate, type VersionedState } from "@oms/platform/aggregate";
import { MemoryAggregates } from "@oms/platform/storage";

/** An order in miniature: enough state for the queries the services run on their stores. */
interface DishOrderState extends VersionedState {
  customerId: string;
  status: "OPEN" | "DONE";
  outbox: Array<{ id: string; type: string; time: Date }>;
}

export class DishOrder extends VersionedAggregate<DishOrderState> {
  static open(id: string, customerId: string, now: Date): DishOrder {
    const order = new DishOrder({ id, customerId, status: "OPEN", version: 1, outbox: [] });
    order.raise(now, { type: "opened" });
    return order;
  }

  /** Rebuilds a dish order from storage. The snapshot is copied, unless `owned` says no one else holds it (the memory store hands over its own copy). */
  static fromSnapshot(snapshot: DishOrderState, owned = false): DishOrder {
    return new DishOrder(snapshot, owned);
  }

  get status(): DishOrderState["status"] {
    return this.state.status;
  }

  finish(now: Date): void {
    this.state.status = "DONE";
    this.touch();
    this.raise(now, { type: "done" });
  }
}

/**
 * The memory store with the indexes the services declare (by status, by
 * customer), and for comparison the same queries as full scans: how every
 * query ran before the store kept indexes.
 */
export class DishOrders extends MemoryAggregates<DishOrder, DishOrderState> {
  constructor() {
    super(DishOrder, { traceHeaders: () => ({}), indexes: { status: (order) => order.status, customer: (order) => order.customerId } });
  }

  open(): DishOrder[] {
    return this.findIn("status", ["OPEN"]);
  }
  customerPage(customerId: string, limit: number): DishOrder[] {
    return this.newest(limit, undefined, undefined, { index: "customer", key: customerId });
  }
  firstPage(limit: number): DishOrder[] {
    return this.newest(limit);
  }
  statusCounts(): Record<string, number> {
    return this.countsBy("status");
  }
  /** One ListTickets page as the kitchen's memory adapter reads it: oldest first in one status, after an id. */
  statusPageAfter(status: DishOrderState["status"], afterId: string, limit: number): DishOrder[] {
    return this.oldest(limit, undefined, afterId, { index: "status", key: status });
  }

  scanOpen(): DishOrder[] {
    return this.find((order) => order.status === "OPEN");
  }
  scanCustomerPage(customerId: string, limit: number): DishOrder[] {
    return this.find((order) => order.customerId === customerId, (a, b) => (a.id < b.id ? 1 : -1), limit);
  }
  scanFirstPage(limit: number): DishOrder[] {
    return this.find(undefined, (a, b) => (a.id < b.id ? 1 : -1), limit);
  }
  /** ListTickets as it was: every record in the status, sorted, then the part after the id. */
  scanStatusPageAfter(status: DishOrderState["status"], afterId: string, limit: number): DishOrder[] {
    const all = this.findIn("status", [status], undefined, (a, b) => (a.id < b.id ? -1 : 1));
    return all.filter((order) => order.id > afterId).slice(0, limit);
  }
  scanStatusCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const order of this.find()) counts[order.status] = (counts[order.status] ?? 0) + 1;
    return counts;
  }
  scanPending(): number {
    return this.find((order) => order.outbox.length > 0).length;
  }
}
