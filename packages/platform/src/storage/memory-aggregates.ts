import type { AggregateRepository, EventOf, VersionedAggregate, VersionedState } from "../aggregate/index.js";
import type { OutboxSource, StoredEvent } from "../events/aggregate-outbox.js";
import { creationContext } from "../telemetry/creation-context.js";
import { recordChange, recordNew, snapshotOf, type AggregateRecord, type TraceHeadersSource } from "./aggregate-records.js";
import { kindName, orderTracing, type AggregateKind, type AggregateStoreOptions } from "./mongo-aggregates.js";

export interface MemoryAggregatesOptions<A, S> extends AggregateStoreOptions<A, S> {
  /** More unique keys by name, as the MongoDB adapter's other unique indexes: taking one held is an error. Read once, at create. */
  alsoUnique?: Record<string, (snapshot: S) => string>;
}

/**
 * Versioned aggregates in a Map (the embedded mode and tests), kept as
 * MongoAggregates keeps them: records copied in and out, the outbox with its
 * headers inside. No method awaits between reading and writing, so each is
 * atomic in one process; a repository's query that finds and then updates
 * stays atomic as long as it does not await in between. A service's
 * repository extends it and adds only its own queries.
 */
export abstract class MemoryAggregates<A extends VersionedAggregate<S>, S extends VersionedState>
  implements AggregateRepository<A>, OutboxSource<EventOf<S>>
{
  private readonly records = new Map<string, AggregateRecord<S>>();
  /** Unique key name -> key -> aggregate id: the `unique` field's and the `alsoUnique` ones. */
  private readonly keys = new Map<string, Map<string, string>>();
  private readonly keyOf: Record<string, (snapshot: S) => string>;
  private readonly traceHeaders: TraceHeadersSource;

  protected constructor(private readonly kind: AggregateKind<A, S>, private readonly options: MemoryAggregatesOptions<A, S> = {}) {
    this.traceHeaders = options.traceHeaders ?? creationContext;
    const field = options.unique?.field;
    this.keyOf = { ...(field && { [field]: (snapshot: S) => String(snapshot[field]) }), ...options.alsoUnique };
    for (const name of Object.keys(this.keyOf)) this.keys.set(name, new Map());
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
    this.records.set(snapshot.id, recordNew(snapshot, orderTracing(this.traceHeaders, this.options.orderIdOf, snapshot), kindName(this.kind)));
    for (const [name, key] of keys) this.keys.get(name)!.set(key, snapshot.id);
  }

  /** The aggregate with this id, or undefined. */
  async get(id: string): Promise<A | undefined> {
    const record = this.records.get(id);
    if (record) orderTracing(this.traceHeaders, this.options.orderIdOf, record as unknown as S);
    return record && this.fromRecord(record);
  }

  /** The aggregate whose unique key `name` is `key`. */
  protected async findUnique(name: string, key: string): Promise<A | undefined> {
    return this.holding(name, key);
  }

  /** Every aggregate whose state `where` accepts, sorted by `order` when given, the first `limit` if given: a repository's queries. */
  protected find(where: (state: S) => boolean = () => true, order?: (a: S, b: S) => number, limit?: number): A[] {
    // Filter (and cut) before copying: copying every aggregate ever stored on each query grows with history.
    const found = [...this.records.values()].filter((record) => where(record as unknown as S)) as unknown as S[];
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
    this.records.set(id, after);
    return this.fromRecord(after);
  }

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: Array<StoredEvent<EventOf<S>>> }>> {
    return [...this.records.values()]
      .filter((record) => record.outbox.length > 0)
      .sort((a, b) => a.outbox[0]!.time.getTime() - b.outbox[0]!.time.getTime())
      .slice(0, limit)
      .map((record) => ({ aggregateId: record.id, events: structuredClone(record.outbox) }));
  }

  async markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    const record = this.records.get(aggregateId);
    if (record) record.outbox = record.outbox.filter((event) => !eventIds.includes(event.id));
  }

  private holding(name: string, key: string): A | undefined {
    const record = this.records.get(this.keys.get(name)?.get(key) ?? "");
    return record && this.fromRecord(record);
  }

  private fromRecord(record: AggregateRecord<S>): A {
    // The aggregate copies its snapshot in: the stored record stays unshared.
    return this.kind.fromSnapshot(snapshotOf(record));
  }
}
