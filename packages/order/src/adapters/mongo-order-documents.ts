import type { AggregateDocument, NamedIndex } from "@oms/platform/storage";
import type { OrderSnapshot } from "../domain/order.js";

/** The collection the order service keeps its orders in. */
export const ordersCollection = "orders";

/**
 * One order as stored: the snapshot with `id` as `_id`, and its outbox of
 * plain domain events (with the headers they travel with) inside, so a
 * change and the events it raises are one write (FerretDB has no
 * transactions). Dates stay BSON dates.
 */
export type OrderDocument = AggregateDocument<OrderSnapshot>;

/**
 * The indexes the repository's queries need, created at start (the kit adds
 * the outbox's). Names are fixed: a changed definition then fails loudly
 * (IndexKeySpecsConflict).
 */
export const orderIndexes: NamedIndex[] = [
  // Every order has a key, so no `sparse` is needed; the unique index is
  // what makes concurrent creates with one key end with a single winner.
  { name: "idempotency_key_unique", key: { idempotencyKey: 1 }, unique: true },
  // Ids are ULIDs (creation time first), so `_id` descending is newest first.
  { name: "customer_newest_first", key: { customerId: 1, _id: -1 } },
  { name: "status_payment_deadline", key: { status: 1, paymentDeadline: 1 } },
  // Finished orders by when they finished (a final order's updateTime never moves): the gauge's counts.
  { name: "status_finished_time", key: { status: 1, updateTime: 1 } },
];
