/**
 * Ids of the records with events to publish, by their oldest unpublished
 * event's time, oldest first. The relay reads the first few after every save,
 * so a read costs what it returns, not a sort of every pending record. Records
 * mostly become pending in time order (their first unpublished event is made
 * now); one that does not (created with an older event, or re-filed after a
 * partial publish) marks the order stale, and the next read sorts once.
 */
export class PendingOutboxIds {
  /** Id -> its oldest unpublished event's time, in insertion order, which is time order while `inOrder`. */
  private readonly times = new Map<string, number>();
  private latest = -Infinity;
  private inOrder = true;

  /** Files `id` under its oldest unpublished event's time, or drops it when it has none. */
  file(id: string, oldest: Date | undefined): void {
    if (oldest === undefined) {
      this.times.delete(id);
      return;
    }
    const time = oldest.getTime();
    if (this.times.get(id) === time) return;
    // Re-filed at the end: a Map keeps the order of first insertion otherwise.
    this.times.delete(id);
    this.times.set(id, time);
    if (time < this.latest) this.inOrder = false;
    else this.latest = time;
  }

  /** The first `limit` ids, oldest first (ties in the order they were filed). */
  first(limit: number): string[] {
    if (!this.inOrder) this.sort();
    const ids: string[] = [];
    for (const id of this.times.keys()) {
      if (ids.length >= limit) break;
      ids.push(id);
    }
    return ids;
  }

  private sort(): void {
    const sorted = [...this.times].sort((a, b) => a[1] - b[1]);
    this.times.clear();
    for (const [id, time] of sorted) this.times.set(id, time);
    this.latest = sorted.at(-1)?.[1] ?? -Infinity;
    this.inOrder = true;
  }
}
