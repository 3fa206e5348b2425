import { DuplicateAggregateError, VersionedAggregate, type VersionedState } from "../../src/aggregate/index.js";
import { newId } from "../../src/ids.js";

/** What a tally raises on every count. */
export interface TallyEvent {
  id: string;
  time: Date;
  type: "tally.counted";
  count: number;
}

export interface TallyState extends VersionedState {
  /** Unique among tallies: the key the stores' unique index (or key) holds. */
  key: string;
  count: number;
  outbox: TallyEvent[];
}

/** The smallest versioned aggregate: counts, and raises an event each time (the kit's tests). */
export class Tally extends VersionedAggregate<TallyState> {
  static open(key = newId(), now = new Date(), counted = 0): Tally {
    const tally = new Tally({ id: newId(), key, count: 0, version: 1, outbox: [] });
    for (let index = 0; index < counted; index++) tally.add(now);
    return tally;
  }

  static fromSnapshot(snapshot: TallyState, owned = false): Tally {
    return new Tally(snapshot, owned);
  }

  get key(): string { return this.state.key; }
  get count(): number { return this.state.count; }

  add(now: Date): void {
    this.state.count += 1;
    this.touch();
    this.raise(now, { type: "tally.counted", count: this.state.count });
  }

  /** A refused change: throws after changing the state, which must then not be saved. */
  refuse(): void {
    this.state.count = -1;
    this.touch();
    throw new Error("refused");
  }
}

/** What a tally repository's create throws for a taken key. */
export class DuplicateTallyError extends DuplicateAggregateError<Tally> {
  constructor(existing: Tally) {
    super(existing, `key ${existing.key} is taken by tally ${existing.id}`);
  }
}
