/** The time, replaceable in tests. */
export type Clock = () => Date;

/** Publishes what the last save put in the outbox (the outbox relay's flush). */
export type Publish = () => Promise<void>;
