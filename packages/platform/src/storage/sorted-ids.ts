/**
 * Ids kept in id order (ULIDs: creation order) in one array, found by
 * halving: what an index's key holds in MongoDB (`{ key: 1, _id: 1 }`), so a
 * page starts at its id without reading what comes before. New ids come last
 * nearly always, and ids leave the small keys (in-flight statuses) far more
 * than the large ones (finished), so the array's shifts stay short.
 */
export class SortedIds implements Iterable<string> {
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  add(id: string): void {
    const last = this.ids.at(-1);
    if (last === undefined || last < id) this.ids.push(id);
    else {
      const at = this.position(id);
      if (this.ids[at] !== id) this.ids.splice(at, 0, id);
    }
  }

  delete(id: string): void {
    const at = this.position(id);
    if (this.ids[at] === id) this.ids.splice(at, 1);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.ids[Symbol.iterator]();
  }

  /** Oldest first, from the first id above `afterId` when given. */
  *ascending(afterId?: string): Generator<string> {
    let at = afterId === undefined ? 0 : this.position(afterId);
    if (afterId !== undefined && this.ids[at] === afterId) at++;
    while (at < this.ids.length) yield this.ids[at++]!;
  }

  /** Newest first, from the first id below `beforeId` when given. */
  *descending(beforeId?: string): Generator<string> {
    let at = beforeId === undefined ? this.ids.length : this.position(beforeId);
    while (at > 0) yield this.ids[--at]!;
  }

  /** Where `id` is, or would go: the first place holding an id not below it. */
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
}
