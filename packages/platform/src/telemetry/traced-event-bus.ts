import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { type DeadLetter, type DeadLetterPageQuery, type EventBus, type EventEnvelope, type QueueDepth, type RetryPolicy, type SubscribeOptions } from "../events/event-bus.js";
import { causeOf, creationContext } from "./creation-context.js";
import { SummedCounter } from "./summed-counter.js";
import type { Telemetry } from "./telemetry.js";

const recordGetter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};
const recordSetter = { set: (carrier: Record<string, string>, key: string, value: string) => (carrier[key] = value) };

const exchange = "oms.events";

/**
 * Traces and counts every event one service publishes and consumes, around
 * any bus adapter. Each event carries its creation context in W3C headers
 * (AMQP headers with RabbitMQ): the publish span and every consumer's
 * process span are its children, in the same trace (docs/architecture.md,
 * "Traces"). A failed attempt shows as an event on the span: retry
 * scheduled, or dead-lettered after the last.
 */
export class TracedEventBus implements EventBus {
  private readonly published: SummedCounter;
  private readonly consumed: SummedCounter;
  private readonly retried: SummedCounter;
  private readonly deadLettered: SummedCounter;
  private readonly queues = new Set<string>();

  constructor(
    private readonly bus: EventBus,
    private readonly telemetry: Telemetry,
  ) {
    const meter = telemetry.meter;
    // Counted once per message: summed here and read by the SDK at collection (summed-counter.ts).
    const sent = (destination: string, type: string) => ({ "messaging.destination.name": destination, "messaging.rabbitmq.destination.routing_key": type });
    const handled = (queue: string, type: string) => ({ "messaging.consumer.group.name": queue, "messaging.rabbitmq.destination.routing_key": type });
    this.published = new SummedCounter(meter, "messaging.client.sent.messages", { description: "Events published (confirmed by the broker)" }, sent);
    this.consumed = new SummedCounter(meter, "messaging.client.consumed.messages", { description: "Events handled and acknowledged" }, handled);
    this.retried = new SummedCounter(meter, "oms.events.retried", { description: "Deliveries that failed and were scheduled for retry" }, handled);
    this.deadLettered = new SummedCounter(meter, "oms.events.dead_lettered", { description: "Events parked in a dead-letter queue after the last attempt" }, handled);
    // Read from the broker when metrics are collected, for the queues this service consumes.
    const depth = meter.createObservableGauge("oms.events.queue_depth", { description: "Messages in this service's consumer queues: ready, or dead-lettered" });
    depth.addCallback(async (result) => {
      for (const queue of this.queues) {
        const { ready, deadLettered } = await this.bus.queueDepth(queue);
        result.observe(ready, { "messaging.consumer.group.name": queue, "oms.queue.state": "ready" });
        result.observe(deadLettered, { "messaging.consumer.group.name": queue, "oms.queue.state": "dead_lettered" });
      }
    });
  }

  get retryPolicy(): RetryPolicy {
    return this.bus.retryPolicy;
  }

  async publish(event: EventEnvelope): Promise<void> {
    // The message carries its creation context (creation-context.ts): the zero-length "create" span stored
    // with an outbox event, or one made now for an event published straight away. Its publish is a child of
    // it, and so is every consumer's process span: the publish span's own context is not injected.
    const headers = event.headers.traceparent ? event.headers : { ...event.headers, ...creationContext(`create ${event.type}`) };
    const creation = headers.traceparent ? propagation.extract(ROOT_CONTEXT, headers, recordGetter) : undefined;
    const cause = causeOf(headers);
    const span = this.telemetry.tracer.startSpan(
      `publish ${event.type}`,
      {
        // PRODUCER only when no creation context exists and its own becomes it (messaging conventions).
        kind: creation ? SpanKind.CLIENT : SpanKind.PRODUCER,
        attributes: {
          "messaging.system": "rabbitmq",
          "messaging.operation.type": "send",
          "messaging.destination.name": exchange,
          "messaging.rabbitmq.destination.routing_key": event.type,
          "messaging.message.id": event.id,
          "messaging.message.body.size": event.body.byteLength,
        },
        links: cause ? [{ context: cause, attributes: { "oms.link": "caused by" } }] : undefined,
      },
      creation ?? context.active(),
    );
    const active = trace.setSpan(creation ?? context.active(), span);
    const carried = creation ? headers : { ...headers };
    if (!creation) propagation.inject(active, carried, recordSetter);
    try {
      await context.with(active, () => this.bus.publish({ ...event, headers: carried }));
      this.published.add(1, exchange, event.type);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  subscribe(options: SubscribeOptions): Promise<void> {
    this.queues.add(options.queue);
    // Every series exists from the start, at 0: a rate over a series that appears only on its first retry
    // misses that retry, and a panel of dead letters would show "no data" rather than none.
    for (const type of options.types) for (const counter of [this.consumed, this.retried, this.deadLettered]) counter.add(0, options.queue, type);
    return this.bus.subscribe({
      ...options,
      handler: async (delivery) => {
        // A child of the message's creation context, as one tree for tools that follow parents; no link to
        // the same span besides (the conventions' link says no more than the parent does here).
        const parent = propagation.extract(ROOT_CONTEXT, delivery.headers, recordGetter);
        const attributes = {
          "messaging.system": "rabbitmq",
          "messaging.operation.type": "process",
          "messaging.destination.name": exchange,
          "messaging.rabbitmq.destination.routing_key": delivery.type,
          "messaging.consumer.group.name": delivery.queue,
          "messaging.message.id": delivery.id,
          "messaging.message.delivery_attempt": delivery.attempt,
        };
        const span = this.telemetry.tracer.startSpan(
          `process ${delivery.type}`,
          { kind: SpanKind.CONSUMER, attributes },
          parent,
        );
        try {
          await context.with(trace.setSpan(parent, span), () => options.handler(delivery));
          this.consumed.add(1, delivery.queue, delivery.type);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          const last = delivery.attempt >= this.bus.retryPolicy.maxAttempts;
          span.addEvent(last ? "dead-lettered" : "retry scheduled", { "messaging.message.delivery_attempt": delivery.attempt });
          (last ? this.deadLettered : this.retried).add(1, delivery.queue, delivery.type);
          throw error;
        } finally {
          span.end();
        }
      },
    });
  }

  deadLetters(queue: string, page?: DeadLetterPageQuery): Promise<DeadLetter[]> {
    return this.bus.deadLetters(queue, page);
  }

  replayDeadLetters(queue: string, ids?: readonly string[]): Promise<number> {
    return this.bus.replayDeadLetters(queue, ids);
  }

  queueDepth(queue: string): Promise<QueueDepth> {
    return this.bus.queueDepth(queue);
  }

  ping(): Promise<void> {
    return this.bus.ping();
  }

  /** The underlying bus is shared and closed by its owner. */
  async close(): Promise<void> {}
}
