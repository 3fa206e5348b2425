import type { EventEnvelope } from "./event-bus.js";
import type { OutboxStore } from "./outbox.js";

/** A raised event as storage keeps it: the plain domain event, and the headers (trace context) it travels with. */
export type StoredEvent<E> = E & { headers?: Record<string, string> };

/** The outbox side of an aggregate repository (platform storage's kit implements it). */
export interface OutboxSource<E> {
  /** Aggregates with unpublished events, oldest first event first, at most `limit`. */
  pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: Array<StoredEvent<E>> }>>;
  /** Drops the given events from the aggregate's outbox once the bus confirmed them. */
  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void>;
}

/**
 * An aggregate repository's outbox as the OutboxRelay reads it: `body` turns
 * one plain event into its protobuf envelope; the envelope keeps the id and
 * time the event was raised with (so a re-publish is recognised as a
 * duplicate) and the headers stored with it, never the context of whoever
 * happens to flush the relay.
 */
export class AggregateOutboxStore<E extends { id: string; time: Date }> implements OutboxStore {
  constructor(
    private readonly source: OutboxSource<E>,
    private readonly body: (event: E) => EventEnvelope,
  ) {}

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: EventEnvelope[] }>> {
    const pending = await this.source.pendingOutbox(limit);
    return pending.map(({ aggregateId, events }) => ({ aggregateId, events: events.map((event) => this.envelope(event)) }));
  }

  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    return this.source.markPublished(aggregateId, eventIds);
  }

  /** One stored event as the envelope the bus carries. */
  envelope(event: StoredEvent<E>): EventEnvelope {
    return { ...this.body(event), id: event.id, time: new Date(event.time), headers: { ...event.headers } };
  }
}
