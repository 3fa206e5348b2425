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
  /** How often to sweep for events a crash or a broker outage left behind. */
  sweepIntervalMs?: number;
  logger?: Logger;
}

/**
 * Publishes outbox events: at once when a use case calls `flush()` after its
 * save, and on a timer for anything left behind. Runs one pass at a time;
 * a flush during a pass queues exactly one more pass. At-least-once: a crash
 * after publish and before markPublished publishes again, and consumers
 * deduplicate by event id.
 */
export class OutboxRelay {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: OutboxStore,
    private readonly bus: EventBus,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.sweepIntervalMs ?? 1_000);
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
      await this.pass().catch((error: unknown) => {
        // The broker may be down: the sweep timer tries again later.
        this.options.logger?.warn({ err: error }, "outbox relay pass failed; will retry");
      });
      // flush() sets it while a pass is awaited.
    } while (this.again);
  }

  private async pass(): Promise<void> {
    for (;;) {
      const batch = await this.store.pendingOutbox(100);
      if (batch.length === 0) return;
      for (const { aggregateId, events } of batch) {
        for (const event of events) await this.bus.publish(event);
        await this.store.markPublished(aggregateId, events.map((event) => event.id));
      }
    }
  }

  /** Stops the timer and waits for the pass in flight; a final flush publishes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
