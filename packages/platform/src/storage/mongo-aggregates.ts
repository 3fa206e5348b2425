import type { Collection, Db, Filter, Sort } from "mongodb";
import type { EventOf, VersionedAggregate, VersionedState } from "../aggregate/index.js";
import type { OutboxSource, StoredEvent } from "../events/aggregate-outbox.js";
import { currentTraceHeaders } from "../telemetry/trace-headers.js";
import { recordChange, recordNew, snapshotOf, type AggregateRecord, type TraceHeadersSource } from "./aggregate-records.js";
import { fromVersionedDocument, insertUnique, pendingDomainEvents, pullPublishedEvents, updateVersioned, type VersionedDocument } from "./versioned-documents.js";

/** How a store rebuilds an aggregate from its snapshot: the aggregate's class. */
export interface AggregateKind<A, S> {
  fromSnapshot(snapshot: S): A;
}

export interface AggregateStoreOptions {
  /** The trace context of the work running now; currentTraceHeaders by default. */
  traceHeaders?: TraceHeadersSource;
}

/** One aggregate as MongoDB stores it: its record with `id` as `_id`. */
export type AggregateDocument<S extends VersionedState> = VersionedDocument<AggregateRecord<S>>;

/**
 * Versioned aggregates in one MongoDB collection (FerretDB in tests), one
 * document each with its outbox inside, so a change and the events it
 * raises are one write (FerretDB has no transactions). Updates are closures
 * saved by compare-and-set on `version`. A service's repository extends it
 * and adds only its own queries, through the protected helpers.
 */
export abstract class MongoAggregates<A extends VersionedAggregate<S>, S extends VersionedState> implements OutboxSource<EventOf<S>> {
  protected readonly collection: Collection<AggregateDocument<S>>;
  private readonly traceHeaders: TraceHeadersSource;

  protected constructor(db: Db, collectionName: string, private readonly kind: AggregateKind<A, S>, options: AggregateStoreOptions = {}) {
    this.collection = db.collection<AggregateDocument<S>>(collectionName);
    this.traceHeaders = options.traceHeaders ?? currentTraceHeaders;
  }

  /** The aggregate with this id, or undefined. */
  get(id: string): Promise<A | undefined> {
    return this.findOne({ _id: id } as Filter<AggregateDocument<S>>);
  }

  /**
   * Loads the aggregate, applies `change` (a domain method; it may throw to
   * refuse, and then nothing is saved) and saves it if its version moved,
   * reapplying on a fresh copy when another writer got there first. The
   * aggregate as stored, or undefined when there is no such aggregate.
   */
  update(id: string, change: (aggregate: A) => void): Promise<A | undefined> {
    return this.updateWhere({ _id: id } as Filter<AggregateDocument<S>>, change);
  }

  /**
   * Stores a new aggregate. When a unique index refuses it, returns the
   * aggregate found with `holder` (the one that holds the key) instead.
   */
  protected async insert(aggregate: A, holder: Filter<AggregateDocument<S>>): Promise<A | undefined> {
    const winner = await insertUnique<AggregateRecord<S>>(this.collection, recordNew(aggregate.toSnapshot(), this.traceHeaders()), holder);
    return winner && this.fromRecord(winner);
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
    const current = this.traceHeaders();
    const saved = await updateVersioned<AggregateRecord<S>>(
      this.collection,
      filter,
      (before) => {
        const aggregate = this.fromRecord(before);
        change(aggregate);
        return aggregate.version === before.version ? before : recordChange(before, aggregate.toSnapshot(), current);
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
