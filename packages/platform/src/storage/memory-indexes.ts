import { SortedIds } from "./sorted-ids.js";

/** Names a record's place in an index: the key it is filed under, or undefined to leave it out (a partial index). */
export type IndexKey<S> = (state: S) => string | undefined;

/**
 * What the in-memory store keeps beside its records so that queries cost
 * what they find, not what was ever stored (bench/PROFILE.md): every id in
 * id order (ULIDs: creation order), and named indexes from key to ids, as
 * MongoDB's indexes and partial indexes would, each key's ids in id order
 * as `{ key: 1, _id: 1 }` keeps them (a page starts at its id). Kept up to
 * date on every write.
 */
export class MemoryIndexes<S> {
  private readonly ids = new SortedIds();
  private readonly byIndex = new Map<string, Map<string, SortedIds>>();
  private readonly filedUnder = new Map<string, Map<string, string | undefined>>();
  /** The indexes' names and keys, listed once: `file` runs on every write. */
  private readonly keys: Array<[string, IndexKey<S>]>;

  constructor(keys: Record<string, IndexKey<S>> = {}) {
    this.keys = Object.entries(keys);
    for (const [name] of this.keys) {
      this.byIndex.set(name, new Map());
      this.filedUnder.set(name, new Map());
    }
  }

  /** Files a record, new or changed. */
  file(id: string, state: S, isNew: boolean): void {
    if (isNew) this.ids.add(id);
    for (const [name, keyOf] of this.keys) {
      const key = keyOf(state);
      const previous = this.filedUnder.get(name)!;
      const before = previous.get(id);
      if (!isNew && before === key) continue;
      const index = this.byIndex.get(name)!;
      if (before !== undefined) {
        const ids = index.get(before);
        ids?.delete(id);
        if (ids?.size === 0) index.delete(before);
      }
      if (key === undefined) previous.delete(id);
      else {
        previous.set(id, key);
        let ids = index.get(key);
        if (!ids) index.set(key, (ids = new SortedIds()));
        ids.add(id);
      }
    }
  }

  /** The ids filed under `key` in index `name`, oldest first, from the first above `afterId` when given. */
  under(name: string, key: string, afterId?: string): Iterable<string> {
    return this.idsUnder(name, key)?.ascending(afterId) ?? [];
  }

  /** The same ids newest first, from the first below `beforeId` when given. */
  underNewestFirst(name: string, key: string, beforeId?: string): Iterable<string> {
    return this.idsUnder(name, key)?.descending(beforeId) ?? [];
  }

  /** The ids filed under `key` in index `name`, if any are; an index never declared is an error. */
  private idsUnder(name: string, key: string): SortedIds | undefined {
    const index = this.byIndex.get(name);
    if (!index) throw new Error(`no index ${name}`);
    return index.get(key);
  }

  /** How many records each key of index `name` has. */
  counts(name: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [key, ids] of this.byIndex.get(name) ?? []) counts[key] = ids.size;
    return counts;
  }

  /** Every id, oldest first, starting above `afterId` when given. */
  oldestFirst(afterId?: string): Iterable<string> {
    return this.ids.ascending(afterId);
  }

  /** Every id, newest first, starting below `beforeId` when given. */
  newestFirst(beforeId?: string): Iterable<string> {
    return this.ids.descending(beforeId);
  }
}
