import { isDeepStrictEqual } from "node:util";
import type { Collection, Filter, Sort, UpdateFilter } from "mongodb";
import { UnavailableError } from "../errors/index.js";
import { isDuplicateKeyError } from "./duplicate-key.js";
import { copyState } from "../aggregate/copy-state.js";

/**
 * An aggregate as its repository stores it: a snapshot with an id, a version
 * that grows with every change, and an outbox of the plain events the change
 * raised, all in one document so a change and its events are one write
 * (FerretDB has no transactions).
 */
export interface VersionedSnapshot {
  id: string;
  version: number;
  outbox: Array<{ id: string }>;
}

/** The snapshot with `id` as `_id`. */
export type VersionedDocument<S extends VersionedSnapshot> = Omit<S, "id"> & { _id: string };

export function toVersionedDocument<S extends VersionedSnapshot>(snapshot: S): VersionedDocument<S> {
  const { id, ...fields } = snapshot;
  return { _id: id, ...fields };
}

export function fromVersionedDocument<S extends VersionedSnapshot>(document: VersionedDocument<S>): S {
  const { _id, ...fields } = document as VersionedDocument<S> & Record<string, unknown>;
  return { ...fields, id: _id, outbox: (fields.outbox as S["outbox"] | undefined) ?? [] } as unknown as S;
}

/**
 * The update turning stored `before` into `after`: every field set, and only
 * the newly raised events pushed, so a concurrent markPublished's removals
 * stay removed. Should the change have altered an earlier event, the whole
 * outbox is written (at worst an event is published twice; consumers dedupe by id).
 */
export function versionedUpdate<S extends VersionedSnapshot>(before: S, after: S): UpdateFilter<VersionedDocument<S>> {
  const { id: _id, outbox, ...fields } = after;
  const earlierKept = before.outbox.every((event) => isDeepStrictEqual(event, outbox.find((next) => next.id === event.id)));
  if (!earlierKept) return { $set: { ...fields, outbox } } as UpdateFilter<VersionedDocument<S>>;
  const known = new Set(before.outbox.map((event) => event.id));
  const raised = outbox.filter((event) => !known.has(event.id));
  if (raised.length === 0) return { $set: fields } as UpdateFilter<VersionedDocument<S>>;
  return { $set: fields, $push: { outbox: { $each: raised } } } as unknown as UpdateFilter<VersionedDocument<S>>;
}

/** How often `updateVersioned` reloads and reapplies a change that lost the race. */
const maxAttempts = 50;

/**
 * Loads the document matching `filter` (the first by `sort`, when given),
 * applies `change` to its snapshot and saves with a compare-and-set on
 * `version`; on a lost race, reloads and applies again. `change` returns the
 * snapshot after (its version unchanged means nothing to save). Undefined
 * when no document matches.
 */
export async function updateVersioned<S extends VersionedSnapshot>(
  collection: Collection<VersionedDocument<S>>,
  filter: Filter<VersionedDocument<S>>,
  change: (before: S) => S,
  options: { sort?: Sort } = {},
): Promise<S | undefined> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const document = await collection.findOne(filter, options);
    if (!document) return undefined;
    const before = fromVersionedDocument<S>(document as VersionedDocument<S>);
    const after = change(copyState(before));
    if (after.version === before.version) return before;
    const saved = await collection.findOneAndUpdate(
      { _id: before.id, version: before.version } as Filter<VersionedDocument<S>>,
      versionedUpdate(before, after),
      { returnDocument: "after" },
    );
    if (saved) return fromVersionedDocument<S>(saved as VersionedDocument<S>);
  }
  throw new UnavailableError(`${collection.collectionName} ${JSON.stringify(filter)} changed ${maxAttempts} times while a change was applied; try again`);
}

/** Documents with unpublished events, oldest first event first (the sparse `outbox.0.time` index). */
export async function pendingDomainEvents<S extends VersionedSnapshot>(
  collection: Collection<VersionedDocument<S>>,
  limit: number,
): Promise<Array<{ id: string; events: S["outbox"] }>> {
  // FerretDB 1.24 ignores a sort on `outbox.time` over the whole array: sort on the first element.
  const documents = await collection
    .find({ "outbox.0.time": { $exists: true } } as Filter<VersionedDocument<S>>, { projection: { outbox: 1 } })
    .sort({ "outbox.0.time": 1 })
    .limit(limit)
    .toArray();
  return documents.map((document) => ({ id: String(document._id), events: (document.outbox ?? []) }));
}

/** Removes published events with `$pullAll` of the stored elements (FerretDB ignores `$pull` by condition). */
export async function pullPublishedEvents<S extends VersionedSnapshot>(
  collection: Collection<VersionedDocument<S>>,
  id: string,
  eventIds: readonly string[],
): Promise<void> {
  const document = await collection.findOne({ _id: id } as Filter<VersionedDocument<S>>, { projection: { outbox: 1 } });
  const published = ((document?.outbox ?? [])).filter((event) => eventIds.includes(event.id));
  if (published.length === 0) return;
  await collection.updateOne({ _id: id } as Filter<VersionedDocument<S>>, { $pullAll: { outbox: published } } as unknown as UpdateFilter<VersionedDocument<S>>);
}

/**
 * Inserts a new aggregate. When a unique index refuses it, returns the
 * document that holds the key instead (found with `existing`), so the
 * repository can hand the winner back; other errors are thrown.
 */
export async function insertUnique<S extends VersionedSnapshot>(
  collection: Collection<VersionedDocument<S>>,
  snapshot: S,
  existing: Filter<VersionedDocument<S>>,
): Promise<S | undefined> {
  try {
    await collection.insertOne(toVersionedDocument(snapshot) as never);
    return undefined;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await collection.findOne(existing);
    if (!winner) throw error;
    return fromVersionedDocument<S>(winner as VersionedDocument<S>);
  }
}
