import { newId } from "../ids.js";
import { copyState } from "./copy-state.js";

/** A plain event an aggregate raised. Its id (what consumers deduplicate on) and time are fixed when raised. */
export interface RaisedEvent {
  id: string;
  type: string;
  time: Date;
}

/** What every versioned aggregate's state holds besides its own fields. */
export interface VersionedState {
  id: string;
  /** Grows by one with every change: repositories save with a compare-and-set on it. */
  version: number;
  /** Events decided but not yet confirmed by the bus, oldest first; saved in the same write as the change. */
  outbox: RaisedEvent[];
}

/** The events an aggregate with state `S` raises. */
export type EventOf<S extends VersionedState> = S["outbox"][number];

/** `Omit` applied to each member of a union, so a tagged event keeps its own fields. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The base of order, payment and ticket: state as one plain snapshot (copied
 * in and out, never shared with a repository), a version that counts
 * changes, and an outbox the subclass's guarded methods raise events into.
 * No I/O: repositories (platform storage's kit) load, change and save it.
 */
export abstract class VersionedAggregate<S extends VersionedState> {
  protected readonly state: S;

  /** `owned`: the state is a copy no one else holds (storage's, made as it loads a record), taken as it is. */
  protected constructor(state: S, owned = false) {
    this.state = owned ? state : copyState(state);
  }

  get id(): string { return this.state.id; }
  get version(): number { return this.state.version; }
  get outbox(): Array<EventOf<S>> { return copyState(this.state.outbox); }

  /** A copy of the state, for storage. */
  toSnapshot(): S {
    return copyState(this.state);
  }

  /** Counts a change: a repository saves only an aggregate whose version moved. */
  protected touch(): void {
    this.state.version += 1;
  }

  /** Appends an event to the outbox with a new id and the time it happened. */
  protected raise(now: Date, event: DistributiveOmit<EventOf<S>, "id" | "time">): void {
    this.state.outbox.push({ ...event, id: newId(), time: new Date(now) });
  }
}
