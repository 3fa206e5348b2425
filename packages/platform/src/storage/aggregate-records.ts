import type { EventOf, VersionedState } from "../aggregate/index.js";
import type { StoredEvent } from "../events/aggregate-outbox.js";

/**
 * An aggregate as its repository keeps it: the aggregate's state, each
 * outbox event with the headers it travels with, and the trace context the
 * aggregate was created in. The headers are storage's business: the domain
 * never sees them (snapshotOf strips them).
 */
export type AggregateRecord<S extends VersionedState> = Omit<S, "outbox"> & {
  outbox: Array<StoredEvent<EventOf<S>>>;
  traceHeaders?: Record<string, string>;
};

/** The trace context of the work running now (currentTraceHeaders, or a fixed one in tests). */
export type TraceHeadersSource = () => Record<string, string>;

/**
 * The headers a newly raised event is saved with: the trace context of the
 * work raising it. Work outside any trace (a cook, a checkout page, a
 * webhook, a timer) continues the trace its aggregate was created in, so one
 * order stays one trace however its later changes come about.
 */
export function headersForRaised(current: Record<string, string>, created: Record<string, string> | undefined): Record<string, string> {
  return Object.keys(current).length > 0 ? { ...current } : { ...created };
}

/** A new aggregate's record: created in the `current` trace, which its first events carry. */
export function recordNew<S extends VersionedState>(snapshot: S, current: Record<string, string>): AggregateRecord<S> {
  const outbox = snapshot.outbox.map((event) => ({ ...event, headers: { ...current } }));
  return { ...snapshot, outbox, traceHeaders: { ...current } };
}

/**
 * The record after a change: events stored before keep their headers, those
 * the change raised get `headersForRaised`; the creation trace stays.
 */
export function recordChange<S extends VersionedState>(before: AggregateRecord<S>, after: S, current: Record<string, string>): AggregateRecord<S> {
  const earlier = new Map(before.outbox.map((event) => [event.id, event]));
  const raisedHeaders = headersForRaised(current, before.traceHeaders);
  const outbox = after.outbox.map((event) => {
    if (!earlier.has(event.id)) return { ...event, headers: raisedHeaders };
    // Events stored before a trace context was kept have no headers: leave them so, or the stored element changes.
    const headers = earlier.get(event.id)!.headers;
    return headers ? { ...event, headers } : event;
  });
  return { ...after, outbox, ...(before.traceHeaders && { traceHeaders: before.traceHeaders }) };
}

/** The aggregate's own state: no trace context, no event headers. */
export function snapshotOf<S extends VersionedState>(record: AggregateRecord<S>): S {
  const { traceHeaders: _trace, outbox, ...fields } = record;
  return { ...fields, outbox: outbox.map(({ headers: _headers, ...event }) => event) } as unknown as S;
}
