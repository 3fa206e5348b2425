import { isDeepStrictEqual } from "node:util";
import type { UpdateFilter } from "mongodb";
import type { IndexPlan } from "@oms/platform/storage";
import type { OrderSnapshot } from "../domain/order.js";
import type { OrderEvent } from "../domain/order-events.js";

/** The collection the order service keeps its orders in. */
export const ordersCollection = "orders";

/**
 * One order as stored: the snapshot with `id` as `_id`, and its outbox of
 * plain domain events inside, so a change and the events it raises are one
 * write (FerretDB has no transactions). Dates stay BSON dates.
 */
export type OrderDocument = Omit<OrderSnapshot, "id"> & { _id: string };

/**
 * The indexes the repository's queries need, created at start. Names are
 * fixed: a changed definition then fails loudly (IndexKeySpecsConflict).
 */
export const orderIndexes: IndexPlan = {
  [ordersCollection]: [
    // Every order has a key, so no `sparse` is needed; the unique index is
    // what makes concurrent creates with one key end with a single winner.
    { name: "idempotency_key_unique", key: { idempotencyKey: 1 }, unique: true },
    // Ids are ULIDs (creation time first), so `_id` descending is newest first.
    { name: "customer_newest_first", key: { customerId: 1, _id: -1 } },
    { name: "status_payment_deadline", key: { status: 1, paymentDeadline: 1 } },
    // Only orders with unpublished events carry `outbox.0.time`; sparse keeps
    // the index as small as the backlog (FerretDB has no partial indexes).
    { name: "outbox_pending_oldest_first", key: { "outbox.0.time": 1 }, sparse: true },
  ],
};

/** Snapshot -> document. */
export function toOrderDocument(snapshot: OrderSnapshot): OrderDocument {
  const { id, ...fields } = snapshot;
  return { _id: id, ...fields };
}

/** Document -> snapshot, field by field, so nothing the driver adds leaks into the domain. */
export function fromOrderDocument(document: OrderDocument): OrderSnapshot {
  return {
    id: document._id,
    customerId: document.customerId,
    idempotencyKey: document.idempotencyKey,
    status: document.status,
    lines: document.lines,
    total: document.total,
    paymentUrl: document.paymentUrl,
    paymentDeadline: document.paymentDeadline,
    cancelReason: document.cancelReason,
    createTime: document.createTime,
    updateTime: document.updateTime,
    version: document.version,
    outbox: document.outbox ?? [],
  };
}

/**
 * The update that turns the stored `before` into `after`: every field set,
 * and only the events raised by this change pushed onto the outbox. Pushing
 * (rather than rewriting the array) keeps a concurrent markPublished's
 * removals: a rewrite would bring back events already published. Should the
 * change have altered an earlier event, the whole outbox is written instead
 * (at worst an event is published twice; consumers deduplicate by id).
 */
export function orderUpdate(before: OrderSnapshot, after: OrderSnapshot): UpdateFilter<OrderDocument> {
  const { id: _id, outbox, ...fields } = after;
  const earlier = new Map(before.outbox.map((event) => [event.id, event]));
  const earlierKept = before.outbox.every((event) => isDeepStrictEqual(event, outbox.find((next) => next.id === event.id)));
  if (!earlierKept) return { $set: { ...fields, outbox } };
  const raised: OrderEvent[] = outbox.filter((event) => !earlier.has(event.id));
  if (raised.length === 0) return { $set: fields };
  return { $set: fields, $push: { outbox: { $each: raised } } } as UpdateFilter<OrderDocument>;
}
