import { Binary, type Collection, type Filter, type UpdateFilter } from "mongodb";
import type { EventEnvelope } from "../events/event-bus.js";
import type { OutboxStore } from "../events/outbox.js";

/** An event envelope as stored in a document's `outbox` array. */
export interface StoredEnvelope {
  id: string;
  type: string;
  time: Date;
  body: Binary;
  headers: Record<string, string>;
}

/**
 * A document that carries the events its last saves must still publish.
 * Repositories `$push` (or `$set`) envelopes in the same update as the state
 * change. `outbox` is required in the type (the driver's `$push` typing needs
 * it), though documents written without one are read as having none.
 */
export interface OutboxDocument {
  _id: string;
  outbox: StoredEnvelope[];
}

/** One aggregate's unpublished events, as OutboxStore.pendingOutbox returns them. */
export interface PendingEvents {
  aggregateId: string;
  events: EventEnvelope[];
}

/** Envelope -> BSON: the body as Binary (subtype 0), the time as a BSON date. */
export function toStoredEnvelope(event: EventEnvelope): StoredEnvelope {
  return {
    id: event.id,
    type: event.type,
    time: event.time,
    body: new Binary(event.body),
    headers: { ...event.headers },
  };
}

/** BSON -> envelope; the body is copied so it outlives the driver's buffer. */
export function fromStoredEnvelope(stored: StoredEnvelope): EventEnvelope {
  return {
    id: stored.id,
    type: stored.type,
    time: stored.time,
    body: Uint8Array.from(stored.body.value()),
    headers: { ...stored.headers },
  };
}

const hasOutbox = { "outbox.0": { $exists: true } };

/**
 * Documents with a non-empty outbox, oldest first event first, at most `limit`.
 * Sorts on `outbox.0.time`: FerretDB 1.24 ignores a sort on `outbox.time`.
 */
export async function pendingOutbox<T extends OutboxDocument>(collection: Collection<T>, limit: number): Promise<PendingEvents[]> {
  const documents = await (collection as unknown as Collection<OutboxDocument>)
    .find(hasOutbox as Filter<OutboxDocument>, { projection: { outbox: 1 } })
    .sort({ "outbox.0.time": 1, _id: 1 })
    .limit(limit)
    .toArray();
  return documents.map((document) => ({
    aggregateId: document._id,
    events: (document.outbox ?? []).map(fromStoredEnvelope),
  }));
}

/**
 * Removes the given events from a document's outbox; ids no longer there are
 * ignored. Uses `$pullAll` with the stored elements themselves: FerretDB 1.24
 * treats `$pull: { outbox: { id: { $in: ids } } }` as a silent no-op.
 * Events pushed meanwhile are kept: `$pullAll` removes equal elements only.
 */
export async function markPublished<T extends OutboxDocument>(
  collection: Collection<T>,
  aggregateId: string,
  eventIds: readonly string[],
): Promise<void> {
  const documents = collection as unknown as Collection<OutboxDocument>;
  const document = await documents.findOne({ _id: aggregateId }, { projection: { outbox: 1 } });
  const published = new Set(eventIds);
  const stored = (document?.outbox ?? []).filter((event) => published.has(event.id));
  if (stored.length === 0) return;
  const update = { $pullAll: { outbox: stored } } as unknown as UpdateFilter<OutboxDocument>;
  await documents.updateOne({ _id: aggregateId }, update);
}

/** An OutboxStore over one collection of outbox documents, for OutboxRelay. */
export function mongoOutboxStore<T extends OutboxDocument>(collection: Collection<T>): OutboxStore {
  return {
    pendingOutbox: (limit) => pendingOutbox(collection, limit),
    markPublished: (aggregateId, eventIds) => markPublished(collection, aggregateId, eventIds),
  };
}
