/** Names a record's place in an index: the key it is filed under, or undefined to leave it out (a partial index). */
export type IndexKey<S> = (state: S) => string | undefined;

/**
 * What the in-memory store keeps beside its records so that queries cost
 * what they find, not what was ever stored (bench/PROFILE.md): every id in
 * id order (ULIDs: creation order), and named indexes from key to ids, as
 * MongoDB's indexes and partial indexes would. Kept up to date on every
 * write; a Set keeps ids in the order they were filed.
 */
export class MemoryIndexes<S> {
  private readonly ids: string[] = [];
  private readonly byIndex = new Map<string, Map<string, Set<string>>>();
  private readonly filedUnder = new Map<string, Map<string, string | undefined>>();

  constructor(private readonly keys: Record<string, IndexKey<S>> = {}) {
    for (const name of Object.keys(keys)) {
      this.byIndex.set(name, new Map());
      this.filedUnder.set(name, new Map());
    }
  }

  /** Files a record, new or changed. */
  file(id: string, state: S, isNew: boolean): void {
    if (isNew) this.insertId(id);
    for (const [name, keyOf] of Object.entries(this.keys)) {
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
        if (!ids) index.set(key, (ids = new Set()));
        ids.add(id);
      }
    }
  }

  /** The ids filed under `key` in index `name`, in the order they were filed. */
  under(name: string, key: string): ReadonlySet<string> {
    const index = this.byIndex.get(name);
    if (!index) throw new Error(`no index ${name}`);
    return index.get(key) ?? new Set();
  }

  /** How many records each key of index `name` has. */
  counts(name: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [key, ids] of this.byIndex.get(name) ?? []) counts[key] = ids.size;
    return counts;
  }

  /** Every id, newest first, starting below `beforeId` when given. */
  *newestFirst(beforeId?: string): Generator<string> {
    let at = beforeId === undefined ? this.ids.length : this.position(beforeId);
    while (at > 0) yield this.ids[--at]!;
  }

  /** Where `id` goes in the sorted ids: at the end nearly always (ids grow), else found by halving. */
  private position(id: string): number {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.ids[middle]! < id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private insertId(id: string): void {
    const last = this.ids.at(-1);
    if (last === undefined || last < id) this.ids.push(id);
    else this.ids.splice(this.position(id), 0, id);
  }
}
