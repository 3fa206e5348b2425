/**
 * What every aggregate repository offers (platform storage's kit implements
 * it for memory and MongoDB); a service's port extends it with its queries.
 */
export interface AggregateRepository<A> {
  /** Stores a new aggregate; throws the port's DuplicateAggregateError when its unique key is taken (atomically, also under races). */
  create(aggregate: A): Promise<void>;
  /** The aggregate with this id, or undefined. */
  get(id: string): Promise<A | undefined>;
  /**
   * Loads the aggregate, applies `change` (a domain method; it may throw to
   * refuse, and then nothing is saved) and saves it if its version moved,
   * reapplying on a fresh copy when another writer got there first. Returns
   * the aggregate as stored, or undefined when there is no such aggregate.
   */
  update(id: string, change: (aggregate: A) => void): Promise<A | undefined>;
}

/**
 * Raised by `create` when the aggregate's unique key (an order's
 * idempotency key, a ticket's order) is taken; carries the aggregate holding
 * it, which an idempotent command hands back.
 */
export class DuplicateAggregateError<A> extends Error {
  constructor(
    readonly existing: A,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
