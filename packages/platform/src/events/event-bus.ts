/**
 * The event bus port. One topic exchange; the routing key is the event type
 * ("order.created"); the body is the binary protobuf of the event message.
 * Adapters: memory-bus.ts (embedded mode and fast tests) and rabbitmq-bus.ts.
 * Both are held to the same behaviour by test/event-bus.contract.ts.
 */

/** An event as it travels: metadata around a binary protobuf body. */
export interface EventEnvelope {
  /** A ULID; consumers deduplicate on it. Carried as the AMQP message-id. */
  id: string;
  /** The routing key, e.g. "order.created". Carried as the AMQP type. */
  type: string;
  /** When the event happened. Carried as the AMQP timestamp. */
  time: Date;
  /** Binary protobuf of the message that `type` names in catalog.ts. */
  body: Uint8Array;
  /** W3C trace context (traceparent, tracestate) and other string headers. */
  headers: Record<string, string>;
}

/** One delivery of an event to one consumer queue. */
export interface Delivery extends EventEnvelope {
  /** 1 on first delivery, 2 on the first retry, and so on. */
  attempt: number;
  /** The consumer queue it was delivered to. */
  queue: string;
}

/**
 * Handles one delivery. Resolving acknowledges it (do so only after the work
 * is stored); throwing schedules a retry, and after the last attempt the event
 * is parked in the queue's dead-letter list.
 */
export type EventHandler = (delivery: Delivery) => Promise<void>;

export interface SubscribeOptions {
  /** The consuming service's queue, e.g. "stock". One queue per service, shared by its instances. */
  queue: string;
  /** Routing keys bound to the queue. */
  types: readonly string[];
  handler: EventHandler;
  /** Deliveries in flight at once (AMQP prefetch). */
  prefetch?: number;
}

/** Retry policy shared by every adapter so they behave alike. */
export interface RetryPolicy {
  /** Total deliveries before dead-lettering, the first included; a transient failure (isTransientFailure) is never dead-lettered. */
  maxAttempts: number;
  /** Delay before retry n (n = 1..maxAttempts-1): the last entry repeats when the list is shorter. */
  delaysMs: readonly number[];
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, delaysMs: [200, 1_000, 5_000, 15_000] };

/** The delay before the retry that follows a failed `attempt` (1-based). */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const index = Math.min(attempt - 1, policy.delaysMs.length - 1);
  return policy.delaysMs[index] ?? 0;
}

/** An event that failed every attempt, kept for inspection and replay. */
export interface DeadLetter extends EventEnvelope {
  queue: string;
  attempts: number;
  /** The last handler error's message. */
  error: string;
  deadTime: Date;
}

/**
 * Where a page of dead letters starts: after the first `offset` letters of
 * the queue, the last of which was `lastId`. A queue is read from its head
 * (a broker's queue is not random access), and a replay between two pages
 * moves the letters behind it forward: the page then starts after `lastId`
 * wherever it went.
 */
export interface DeadLetterCursor {
  offset: number;
  lastId: string;
}

/** One page of a queue's dead letters, oldest first. */
export interface DeadLetterPageQuery {
  /** At most this many letters. */
  limit: number;
  /** From the start of the queue when undefined. */
  after?: DeadLetterCursor;
}

/** The first 100 dead letters: what a caller gets when it asks for no page. */
export const firstDeadLetters: DeadLetterPageQuery = { limit: 100 };

/** How many messages a consumer queue holds: waiting for a consumer, and parked as dead letters. */
export interface QueueDepth {
  ready: number;
  deadLettered: number;
}

export interface EventBus {
  /** How failed deliveries are retried, then dead-lettered. */
  readonly retryPolicy: RetryPolicy;
  /** Resolves once the broker has confirmed the event is stored. */
  publish(event: EventEnvelope): Promise<void>;
  /** Starts consuming; resolves once the queue is declared and bound. */
  subscribe(options: SubscribeOptions): Promise<void>;
  /**
   * One page of a consumer queue's dead letters, oldest first (the first 100 when no page is given); a page
   * costs the letters before it and in it, never the whole queue. An adapter that cannot read that deep
   * refuses with LimitError.
   */
  deadLetters(queue: string, page?: DeadLetterPageQuery): Promise<DeadLetter[]>;
  /** Puts dead letters (all, or those with the given ids) back on their queue; returns how many. */
  replayDeadLetters(queue: string, ids?: readonly string[]): Promise<number>;
  /** What the consumer queue holds now (zeros for a queue not declared yet): the queue-depth metric. */
  queueDepth(queue: string): Promise<QueueDepth>;
  /** Resolves when the bus can publish (for /readyz). */
  ping(): Promise<void>;
  /** Stops consuming, waits for handlers in flight, then closes. */
  close(): Promise<void>;
}
