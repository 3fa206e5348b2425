import type { AggregateRepository, EventOf, VersionedAggregate, VersionedState } from "../aggregate/index.js";
import type { OutboxSource, StoredEvent } from "../events/aggregate-outbox.js";
import { creationContext } from "../telemetry/creation-context.js";
import { copiedSnapshotOf, recordChange, recordNew, type AggregateRecord, type TraceHeadersSource } from "./aggregate-records.js";
import { MemoryIndexes, type IndexKey } from "./memory-indexes.js";
import { PendingOutboxIds } from "./pending-outbox-ids.js";
import { kindName, orderTracing, type AggregateKind, type AggregateStoreOptions } from "./mongo-aggregates.js";

export interface MemoryAggregatesOptions<A, S> extends AggregateStoreOptions<A, S> {
  /** More unique keys by name, as the MongoDB adapter's other unique indexes: taking one held is an error. Read once, at create. */
  alsoUnique?: Record<string, (snapshot: S) => string>;
  /** Named indexes for the repository's queries (findIn, countsBy), as the MongoDB adapter declares its own. */
  indexes?: Record<string, IndexKey<S>>;
}

/**
 * Versioned aggregates in a Map (the embedded mode and tests), kept as
 * MongoAggregates keeps them: records copied in and out, the outbox with its
 * headers inside. No method awaits between reading and writing, so each is
 * atomic in one process; a repository's query that finds and then updates
 * stays atomic as long as it does not await in between. A service's
 * repository extends it and adds only its own queries, served by indexes
 * (findIn, newest, oldest, countsBy) so that none grows with history.
 */
export abstract class MemoryAggregates<A extends VersionedAggregate<S>, S extends VersionedState>
  implements AggregateRepository<A>, OutboxSource<EventOf<S>>
{
  private readonly records = new Map<string, AggregateRecord<S>>();
  /** Unique key name -> key -> aggregate id: the `unique` field's and the `alsoUnique` ones. */
  private readonly keys = new Map<string, Map<string, string>>();
  private readonly keyOf: Record<string, (snapshot: S) => string>;
  private readonly traceHeaders: TraceHeadersSource;
  private readonly indexes: MemoryIndexes<S>;
  /** Ids of the records with events to publish, oldest first: the relay reads these, not every record. */
  private readonly pending = new PendingOutboxIds();

  protected constructor(private readonly kind: AggregateKind<A, S>, private readonly options: MemoryAggregatesOptions<A, S> = {}) {
    this.traceHeaders = options.traceHeaders ?? creationContext;
    const field = options.unique?.field;
    this.keyOf = { ...(field && { [field]: (snapshot: S) => String(snapshot[field]) }), ...options.alsoUnique };
    for (const name of Object.keys(this.keyOf)) this.keys.set(name, new Map());
    this.indexes = new MemoryIndexes(options.indexes);
  }

  /** Stores a new aggregate; a taken `unique` key throws its duplicate error, any other taken key (or id) an Error. */
  async create(aggregate: A): Promise<void> {
    const snapshot = aggregate.toSnapshot();
    const keys = Object.entries(this.keyOf).map(([name, key]) => [name, key(snapshot)] as const);
    // The `unique` field is checked first (it comes first in keyOf): its holder is the one to hand back.
    const taken = keys.find(([name, key]) => this.keys.get(name)!.has(key));
    const unique = this.options.unique;
    if (unique && taken?.[0] === unique.field) throw unique.duplicate(this.holding(...taken)!);
    if (taken || this.records.has(snapshot.id)) throw new Error(`${snapshot.id}: its ${taken?.[0] ?? "id"} is taken`);
    this.store(recordNew(snapshot, orderTracing(this.traceHeaders, this.options.orderIdOf, snapshot), kindName(this.kind)), true);
    for (const [name, key] of keys) this.keys.get(name)!.set(key, snapshot.id);
  }

  /** The aggregate with this id, or undefined. */
  async get(id: string): Promise<A | undefined> {
    const record = this.records.get(id);
    if (record) orderTracing(this.traceHeaders, this.options.orderIdOf, record as unknown as S);
    return record && this.fromRecord(record);
  }

  /** The aggregates with these ids that exist, in no particular order: one read for many. */
  async getMany(ids: readonly string[]): Promise<A[]> {
    const found: A[] = [];
    for (const id of ids) {
      const aggregate = await this.get(id);
      if (aggregate) found.push(aggregate);
    }
    return found;
  }

  /** The stored version of each of these aggregates that exists: whether one changed, without copying it out. */
  async versionsOf(ids: readonly string[]): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    for (const id of ids) {
      const record = this.records.get(id);
      if (record) versions.set(id, record.version);
    }
    return versions;
  }

  /** The aggregate whose unique key `name` is `key`. */
  protected async findUnique(name: string, key: string): Promise<A | undefined> {
    return this.holding(name, key);
  }

  /** Every aggregate whose state `where` accepts, sorted by `order` when given, the first `limit` if given: a scan of all, for what is meant to see all. */
  protected find(where: (state: S) => boolean = () => true, order?: (a: S, b: S) => number, limit?: number): A[] {
    return this.pick(this.records.values(), where, order, limit);
  }

  /** As find, among the aggregates filed under one of `keys` in index `index` only. */
  protected findIn(index: string, keys: readonly string[], where: (state: S) => boolean = () => true, order?: (a: S, b: S) => number, limit?: number): A[] {
    const records = keys.flatMap((key) => [...this.indexes.under(index, key)].map((id) => this.records.get(id)!));
    return this.pick(records, where, order, limit);
  }

  /**
   * The newest `limit` aggregates (by id) that `where` accepts, below `beforeId` when given, among those filed
   * under `filedUnder` (an index and a key) when given: a page that starts at its id and reads only as far as it must.
   */
  protected newest(limit: number, where: (state: S) => boolean = () => true, beforeId?: string, filedUnder?: { index: string; key: string }): A[] {
    const ids = filedUnder ? this.indexes.underNewestFirst(filedUnder.index, filedUnder.key, beforeId) : this.indexes.newestFirst(beforeId);
    return this.firstOf(ids, limit, where);
  }

  /**
   * The oldest `limit` aggregates (by id) that `where` accepts, above `afterId` when given, among those filed
   * under `filedUnder` (an index and a key) when given: a page that starts at its id and reads only as far as it must.
   */
  protected oldest(limit: number, where: (state: S) => boolean = () => true, afterId?: string, filedUnder?: { index: string; key: string }): A[] {
    const ids = filedUnder ? this.indexes.under(filedUnder.index, filedUnder.key, afterId) : this.indexes.oldestFirst(afterId);
    return this.firstOf(ids, limit, where);
  }

  private firstOf(ids: Iterable<string>, limit: number, where: (state: S) => boolean): A[] {
    const found: A[] = [];
    for (const id of ids) {
      if (found.length >= limit) break;
      const record = this.records.get(id)!;
      if (where(record as unknown as S)) found.push(this.fromRecord(record));
    }
    return found;
  }

  /** How many aggregates each key of index `index` has. */
  protected countsBy(index: string): Record<string, number> {
    return this.indexes.counts(index);
  }

  // Filter, sort and cut before copying: only what is returned is copied.
  private pick(records: Iterable<AggregateRecord<S>>, where: (state: S) => boolean, order: ((a: S, b: S) => number) | undefined, limit: number | undefined): A[] {
    const found = [...records].filter((record) => where(record as unknown as S)) as unknown as S[];
    const sorted = order ? found.sort(order) : found;
    return sorted.slice(0, limit).map((record) => this.fromRecord(record as unknown as AggregateRecord<S>));
  }

  async update(id: string, change: (aggregate: A) => void): Promise<A | undefined> {
    const before = this.records.get(id);
    if (!before) return undefined;
    const aggregate = this.fromRecord(before);
    change(aggregate);
    if (aggregate.version === before.version) return this.fromRecord(before);
    const snapshot = aggregate.toSnapshot();
    const after = recordChange(before, snapshot, orderTracing(this.traceHeaders, this.options.orderIdOf, snapshot));
    this.store(after, false);
    // The changed aggregate is what was stored (less the trace headers), and the record keeps its own copy.
    return aggregate;
  }

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: Array<StoredEvent<EventOf<S>>> }>> {
    // Only the records with something to publish, which are few whenever the relay keeps up.
    return this.pending
      .first(limit)
      .map((id) => this.records.get(id)!)
      // Stored events are never changed in place (markPublished replaces the list): the relay may read them as they are.
      .map((record) => ({ aggregateId: record.id, events: [...record.outbox] }));
  }

  async markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    const record = this.records.get(aggregateId);
    if (!record) return;
    record.outbox = record.outbox.filter((event) => !eventIds.includes(event.id));
    this.pending.file(aggregateId, record.outbox[0]?.time);
  }

  private store(record: AggregateRecord<S>, isNew: boolean): void {
    this.records.set(record.id, record);
    this.indexes.file(record.id, record as unknown as S, isNew);
    this.pending.file(record.id, record.outbox[0]?.time);
  }

  private holding(name: string, key: string): A | undefined {
    const record = this.records.get(this.keys.get(name)?.get(key) ?? "");
    return record && this.fromRecord(record);
  }

  private fromRecord(record: AggregateRecord<S>): A {
    // One copy, which the aggregate owns: the stored record stays unshared.
    return this.kind.fromSnapshot(copiedSnapshotOf(record), true);
  }
}
