import { copyState } from "../aggregate/copy-state.js";
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

/**
 * The trace context to keep with what the work running now stores for later:
 * `name` says what ("create order.paid"), `orderId` which order it is about,
 * `created` the aggregate's creation context (telemetry's creationContext,
 * or fixed headers in tests). Empty outside any trace.
 */
export type TraceHeadersSource = (name: string, orderId?: string, created?: Record<string, string>) => Record<string, string>;

/** The source bound to one aggregate: its order and creation context. */
export type BoundTraceHeaders = (name: string, created?: Record<string, string>) => Record<string, string>;

/**
 * The headers a newly raised event is saved with: the trace context of the
 * work raising it. Work outside any trace (a cook, a timer) continues the
 * trace its aggregate was created in, so one order stays one trace however
 * its later changes come about.
 */
export function headersForRaised(current: Record<string, string>, created: Record<string, string> | undefined): Record<string, string> {
  return Object.keys(current).length > 0 ? { ...current } : { ...created };
}

/**
 * A new aggregate's record: created in the current trace (`kind` names it:
 * "order"), which its first events carry. Made from `snapshot` itself, the
 * caller's own copy (a toSnapshot), which becomes the record: no copy of it
 * or of its events is made again.
 */
export function recordNew<S extends VersionedState>(snapshot: S, contextFor: BoundTraceHeaders, kind: string): AggregateRecord<S> {
  const record = snapshot as unknown as AggregateRecord<S>;
  const traceHeaders = contextFor(`create ${kind}`);
  for (const event of record.outbox) event.headers = headersForRaised(contextFor(`create ${event.type}`, traceHeaders), traceHeaders);
  record.traceHeaders = traceHeaders;
  return record;
}

/**
 * The record after a change, made from `after` itself (the caller's own
 * copy) as recordNew is: events stored before keep their headers, those the
 * change raised get `headersForRaised`; the creation trace stays. An outbox
 * holds a few events (those not yet confirmed), so each is looked up in
 * `before`'s by a scan.
 */
export function recordChange<S extends VersionedState>(before: AggregateRecord<S>, after: S, contextFor: BoundTraceHeaders): AggregateRecord<S> {
  const record = after as unknown as AggregateRecord<S>;
  for (const event of record.outbox) {
    const stored = before.outbox.find((earlier) => earlier.id === event.id);
    if (!stored) event.headers = headersForRaised(contextFor(`create ${event.type}`, before.traceHeaders), before.traceHeaders);
    // Events stored before a trace context was kept have no headers: leave them so, or the stored element changes.
    else if (stored.headers) event.headers = stored.headers;
  }
  if (before.traceHeaders) record.traceHeaders = before.traceHeaders;
  return record;
}

/** The aggregate's own state: no trace context, no event headers. It shares the record's values. */
export function snapshotOf<S extends VersionedState>(record: AggregateRecord<S>): S {
  const { traceHeaders: _trace, outbox, ...fields } = record;
  return { ...fields, outbox: outbox.map(({ headers: _headers, ...event }) => event) } as unknown as S;
}

/**
 * The same as a deep copy sharing nothing with the record: what the memory
 * store hands an aggregate to own, in one pass (it used to take snapshotOf,
 * then the aggregate copied that again; together the largest storage item of
 * an order's CPU, bench/PROFILE.md).
 */
export function copiedSnapshotOf<S extends VersionedState>(record: AggregateRecord<S>): S {
  const snapshot: Record<string, unknown> = {};
  for (const key in record) {
    if (key === "outbox") snapshot.outbox = record.outbox.map(copiedEvent);
    else if (key !== "traceHeaders") snapshot[key] = copyState((record as Record<string, unknown>)[key]);
  }
  return snapshot as S;
}

function copiedEvent<E extends object>(event: E): Omit<E, "headers"> {
  const copy: Record<string, unknown> = {};
  for (const key in event) if (key !== "headers") copy[key] = copyState(event[key]);
  return copy as Omit<E, "headers">;
}
