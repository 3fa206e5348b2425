import { context, propagation, ROOT_CONTEXT } from "@opentelemetry/api";
import type { Logger } from "pino";
import type { EventBus, EventEnvelope } from "./event-bus.js";

/**
 * Where an aggregate keeps the events it must publish, written in the same
 * save as the state change they describe (the outbox on the document). A
 * crash between save and publish loses nothing: the relay finds them later.
 */
export interface OutboxStore {
  /** Aggregates with unpublished events, oldest first, at most `limit`. */
  pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: EventEnvelope[] }>>;
  /** Drops the given events from the aggregate's outbox once the broker confirmed them. */
  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void>;
}

export interface OutboxRelayOptions {
  /** How often to sweep for events a crash (of this or another instance) left behind. Default 5 s. */
  sweepIntervalMs?: number;
  logger?: Logger;
}

/** After a failed pass, the next comes this soon, doubling each time up to the sweep interval. */
const firstRetryMs = 200;

/**
 * Publishes outbox events: at once when a use case calls `flush()` after its
 * save; after a failed pass (the broker down) again with backoff; and on a
 * rare sweep for what a crash left behind, so an idle service does not poll
 * its database. Runs one pass at a time; a flush during a pass queues
 * exactly one more pass. At-least-once: a crash after publish and before
 * markPublished publishes again, and consumers deduplicate by event id.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryDelayMs = 0;
  private stopped = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.sweepIntervalMs);
    this.timer.unref();
    void this.flush();
  }

  /** Publishes everything pending; resolves when the pass (and any queued one) is done. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.passes().finally(() => (this.running = undefined));
    return this.running;
  }

  private async passes(): Promise<void> {
    do {
      this.again = false;
      await this.pass().then(
        () => (this.retryDelayMs = 0),
        (error: unknown) => {
          // The broker may be down: try again soon, then less and less often.
          this.options.logger?.warn({ err: error }, "outbox relay pass failed; will retry");
          this.retryLater();
        },
      );
      // flush() sets it while a pass is awaited.
    } while (this.again);
  }

  private async pass(): Promise<void> {
    // A pass runs in the context of whoever flushed: its reads are about no one order (no order id
    // baggage), and each aggregate's publish and cleanup belong to that aggregate's story (the context
    // its first event was created in), never to the flusher's order.
    const unscoped = propagation.deleteBaggage(context.active());
    for (;;) {
      const batch = await context.with(unscoped, () => this.store.pendingOutbox(100));
      if (batch.length === 0) return;
      for (const { aggregateId, events } of batch) {
        await context.with(propagation.extract(ROOT_CONTEXT, events[0]?.headers ?? {}), async () => {
          for (const event of events) await this.bus.publish(event);
          await this.store.markPublished(aggregateId, events.map((event) => event.id));
        });
      }
    }
  }

  private get sweepIntervalMs(): number {
    return this.options.sweepIntervalMs ?? 5_000;
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.retryDelayMs = Math.min(Math.max(this.retryDelayMs * 2, firstRetryMs), this.sweepIntervalMs);
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.flush(), this.retryDelayMs);
    this.retry.unref();
  }

  /** Stops the timers and waits for the pass in flight; a final flush publishes what is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    await this.flush();
  }
}
