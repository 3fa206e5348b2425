import { UnavailableError } from "../errors/index.js";
import type { DeadLetterPageQuery, EventBus, EventEnvelope, SubscribeOptions } from "../events/index.js";
import type { Faults } from "./faults.js";

/**
 * A bus whose publishes fail at the configured share, as if the broker were
 * unreachable: the outbox keeps the events and publishes them on a later
 * pass, which is what the fault is there to show. Everything else passes through.
 */
export class FaultyEventBus implements EventBus {
  constructor(
    private readonly bus: EventBus,
    private readonly faults: Faults,
  ) {}

  get retryPolicy() {
    return this.bus.retryPolicy;
  }

  async publish(event: EventEnvelope): Promise<void> {
    if (this.faults.strikes("publishFailureRate")) throw new UnavailableError("broker unreachable (injected fault)");
    return this.bus.publish(event);
  }

  subscribe(options: SubscribeOptions): Promise<void> {
    return this.bus.subscribe(options);
  }

  deadLetters(queue: string, page?: DeadLetterPageQuery) {
    return this.bus.deadLetters(queue, page);
  }

  replayDeadLetters(queue: string, ids?: readonly string[]) {
    return this.bus.replayDeadLetters(queue, ids);
  }

  queueDepth(queue: string) {
    return this.bus.queueDepth(queue);
  }

  ping(): Promise<void> {
    return this.bus.ping();
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
