import type { Collection, Db, Filter, IndexDescription, Sort } from "mongodb";
import type { AggregateRepository, EventOf, VersionedAggregate, VersionedState } from "../aggregate/index.js";
import type { OutboxSource, StoredEvent } from "../events/aggregate-outbox.js";
import { creationContext } from "../telemetry/creation-context.js";
import { tagOrder } from "../telemetry/order-id.js";
import { recordChange, recordNew, snapshotOf, type AggregateRecord, type BoundTraceHeaders, type TraceHeadersSource } from "./aggregate-records.js";
import { ensureIndexes } from "./indexes.js";
import { fromVersionedDocument, insertUnique, pendingDomainEvents, pullPublishedEvents, updateVersioned, type VersionedDocument } from "./versioned-documents.js";

/** How a store rebuilds an aggregate from its snapshot: the aggregate's class. */
export interface AggregateKind<A, S> {
  /** `owned`: the snapshot is a copy no one else holds, for the aggregate to take as it is. */
  fromSnapshot(snapshot: S, owned?: boolean): A;
}

/** The one key a new aggregate must not share with a stored one, and what `create` throws when it does. */
export interface UniqueKey<A, S> {
  /** The field holding the key (a ticket's orderId, an order's idempotencyKey). */
  field: keyof S & string;
  /** The port's DuplicateAggregateError, carrying the aggregate that holds the key. */
  duplicate: (holder: A) => Error;
}

export interface AggregateStoreOptions<A, S> {
  unique?: UniqueKey<A, S>;
  /** The trace context kept with what is stored for later; telemetry's creationContext by default. */
  traceHeaders?: TraceHeadersSource;
  /** The order an aggregate is about (an order's id, a payment's or ticket's orderId): spans that load or change it are tagged with it. */
  orderIdOf?: (state: S) => string;
}

/** What the kit's stores do with an aggregate's order id: tag the active span, and bind the trace source to the order. */
export function orderTracing<S>(source: TraceHeadersSource, orderIdOf: ((state: S) => string) | undefined, state: S): BoundTraceHeaders {
  const orderId = orderIdOf?.(state);
  if (orderId) tagOrder(orderId);
  return (name, created) => source(name, orderId, created);
}

/** How an aggregate's creation context is named ("create order"): after its class. */
export const kindName = (kind: object): string => ("name" in kind && typeof kind.name === "string" ? kind.name.toLowerCase() : "aggregate");

/** An index of a repository's collection; named, so a changed definition fails loudly at start. */
export type NamedIndex = IndexDescription & { name: string };

/**
 * What pendingOutbox reads: only aggregates with unpublished events carry
 * `outbox.0.time`, so the sparse index is as small as the backlog (FerretDB
 * has no partial indexes), oldest first event first.
 */
const pendingOutboxIndex: NamedIndex = { name: "outbox_pending_oldest_first", key: { "outbox.0.time": 1 }, sparse: true };

/** One aggregate as MongoDB stores it: its record with `id` as `_id`. */
export type AggregateDocument<S extends VersionedState> = VersionedDocument<AggregateRecord<S>>;

/**
 * Versioned aggregates in one MongoDB collection (FerretDB in tests), one
 * document each with its outbox inside, so a change and the events it
 * raises are one write (FerretDB has no transactions). Updates are closures
 * saved by compare-and-set on `version`. A service's repository extends it
 * and adds only its own queries, through the protected helpers.
 */
export abstract class MongoAggregates<A extends VersionedAggregate<S>, S extends VersionedState>
  implements AggregateRepository<A>, OutboxSource<EventOf<S>>
{
  protected readonly collection: Collection<AggregateDocument<S>>;
  private readonly traceHeaders: TraceHeadersSource;

  protected constructor(
    db: Db,
    collectionName: string,
    private readonly kind: AggregateKind<A, S>,
    private readonly options: AggregateStoreOptions<A, S> = {},
  ) {
    this.collection = db.collection<AggregateDocument<S>>(collectionName);
    this.traceHeaders = options.traceHeaders ?? creationContext;
  }

  /**
   * A repository over `db`, with the indexes its class declares (`static
   * indexes`, for its own queries) and the outbox's created first:
   * idempotent, run at every start.
   */
  static async open<R extends { readonly collectionName: string }>(this: { new (db: Db): R; readonly indexes: readonly NamedIndex[] }, db: Db): Promise<R> {
    const repository = new this(db);
    await ensureIndexes(db, { [repository.collectionName]: [...this.indexes, pendingOutboxIndex] });
    return repository;
  }

  get collectionName(): string {
    return this.collection.collectionName;
  }

  /** Stores a new aggregate; a taken unique key throws the `unique.duplicate` error (the unique index decides, also under races). */
  async create(aggregate: A): Promise<void> {
    const snapshot = aggregate.toSnapshot();
    const unique = this.options.unique;
    const holder = (unique ? { [unique.field]: snapshot[unique.field] } : { _id: snapshot.id }) as Filter<AggregateDocument<S>>;
    const record = recordNew(snapshot, orderTracing(this.traceHeaders, this.options.orderIdOf, snapshot), kindName(this.kind));
    const winner = await insertUnique<AggregateRecord<S>>(this.collection, record, holder);
    if (winner) throw unique ? unique.duplicate(this.fromRecord(winner)) : new Error(`${snapshot.id} exists`);
  }

  /** The aggregate with this id, or undefined. */
  async get(id: string): Promise<A | undefined> {
    const found = await this.findOne({ _id: id } as Filter<AggregateDocument<S>>);
    if (found) orderTracing(this.traceHeaders, this.options.orderIdOf, found.toSnapshot());
    return found;
  }

  /** The aggregates with these ids that exist, in no particular order: one query (`_id` $in) for many. */
  async getMany(ids: readonly string[]): Promise<A[]> {
    if (ids.length === 0) return [];
    return this.find({ _id: { $in: [...ids] } } as Filter<AggregateDocument<S>>);
  }

  /** The stored version of each of these aggregates that exists: one query reading `version` alone, not the documents. */
  async versionsOf(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const documents = await this.collection.find({ _id: { $in: [...ids] } } as Filter<AggregateDocument<S>>, { projection: { version: 1 } }).toArray();
    return new Map(documents.map((document) => [String(document._id), document.version]));
  }

  update(id: string, change: (aggregate: A) => void): Promise<A | undefined> {
    return this.updateWhere({ _id: id } as Filter<AggregateDocument<S>>, change);
  }

  protected async findOne(filter: Filter<AggregateDocument<S>>): Promise<A | undefined> {
    const document = await this.collection.findOne(filter);
    return document ? this.fromDocument(document as AggregateDocument<S>) : undefined;
  }

  protected async find(filter: Filter<AggregateDocument<S>>, options: { sort?: Sort; limit?: number } = {}): Promise<A[]> {
    const documents = await this.collection.find(filter, options).toArray();
    return documents.map((document) => this.fromDocument(document as AggregateDocument<S>));
  }

  protected fromDocument(document: AggregateDocument<S>): A {
    return this.fromRecord(fromVersionedDocument<AggregateRecord<S>>(document));
  }

  /** `update` of the aggregate matching `filter` (the first by `sort`): e.g. the oldest one waiting. */
  protected async updateWhere(filter: Filter<AggregateDocument<S>>, change: (aggregate: A) => void, options: { sort?: Sort } = {}): Promise<A | undefined> {
    const saved = await updateVersioned<AggregateRecord<S>>(
      this.collection,
      filter,
      (before) => {
        const aggregate = this.fromRecord(before);
        change(aggregate);
        const after = aggregate.toSnapshot();
        const contextFor = orderTracing(this.traceHeaders, this.options.orderIdOf, after);
        return aggregate.version === before.version ? before : recordChange(before, after, contextFor);
      },
      options,
    );
    return saved && this.fromRecord(saved);
  }

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: Array<StoredEvent<EventOf<S>>> }>> {
    const pending = await pendingDomainEvents<AggregateRecord<S>>(this.collection, limit);
    return pending.map(({ id, events }) => ({ aggregateId: id, events }));
  }

  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    return pullPublishedEvents<AggregateRecord<S>>(this.collection, aggregateId, eventIds);
  }

  private fromRecord(record: AggregateRecord<S>): A {
    return this.kind.fromSnapshot(snapshotOf(record));
  }
}
