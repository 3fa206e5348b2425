import { context, propagation, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { type DeadLetter, type EventBus, type EventEnvelope, type RetryPolicy, type SubscribeOptions } from "../events/event-bus.js";
import type { Telemetry } from "./telemetry.js";

const recordGetter = {
  get: (carrier: Record<string, string>, key: string) => carrier[key],
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
};
const recordSetter = { set: (carrier: Record<string, string>, key: string, value: string) => (carrier[key] = value) };

const exchange = "oms.events";

/**
 * Traces and counts every event one service publishes and consumes, around
 * any bus adapter. The publisher injects W3C trace context into the event's
 * headers (AMQP headers with RabbitMQ); the consumer extracts it and opens a
 * consumer span in the same trace, linked to the producer. A failed attempt
 * shows as an event on the span: retry scheduled, or dead-lettered after the last.
 */
export class TracedEventBus implements EventBus {
  private readonly published;
  private readonly consumed;
  private readonly retried;
  private readonly deadLettered;

  constructor(
    private readonly bus: EventBus,
    private readonly telemetry: Telemetry,
  ) {
    const meter = telemetry.meter;
    this.published = meter.createCounter("messaging.client.sent.messages", { description: "Events published (confirmed by the broker)" });
    this.consumed = meter.createCounter("messaging.client.consumed.messages", { description: "Events handled and acknowledged" });
    this.retried = meter.createCounter("oms.events.retried", { description: "Deliveries that failed and were scheduled for retry" });
    this.deadLettered = meter.createCounter("oms.events.dead_lettered", { description: "Events parked in a dead-letter queue after the last attempt" });
  }

  get retryPolicy(): RetryPolicy {
    return this.bus.retryPolicy;
  }

  async publish(event: EventEnvelope): Promise<void> {
    // An outbox event carries the context of the change that caused it (see envelope()):
    // the publish span continues that trace even when the relay sends it later.
    const parent = event.headers.traceparent ? propagation.extract(context.active(), event.headers, recordGetter) : context.active();
    const span = this.telemetry.tracer.startSpan(`publish ${event.type}`, {
      kind: SpanKind.PRODUCER,
      attributes: {
        "messaging.system": "rabbitmq",
        "messaging.operation.type": "send",
        "messaging.destination.name": exchange,
        "messaging.rabbitmq.destination.routing_key": event.type,
        "messaging.message.id": event.id,
        "messaging.message.body.size": event.body.byteLength,
      },
    }, parent);
    const active = trace.setSpan(parent, span);
    const headers = { ...event.headers };
    propagation.inject(active, headers, recordSetter);
    try {
      await context.with(active, () => this.bus.publish({ ...event, headers }));
      this.published.add(1, { "messaging.destination.name": exchange, "messaging.rabbitmq.destination.routing_key": event.type });
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  subscribe(options: SubscribeOptions): Promise<void> {
    return this.bus.subscribe({
      ...options,
      handler: async (delivery) => {
        const parent = propagation.extract(context.active(), delivery.headers, recordGetter);
        const producer = trace.getSpanContext(parent);
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
          { kind: SpanKind.CONSUMER, attributes, links: producer ? [{ context: producer }] : [] },
          parent,
        );
        const metric = { "messaging.consumer.group.name": delivery.queue, "messaging.rabbitmq.destination.routing_key": delivery.type };
        try {
          await context.with(trace.setSpan(parent, span), () => options.handler(delivery));
          this.consumed.add(1, metric);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          const last = delivery.attempt >= this.bus.retryPolicy.maxAttempts;
          span.addEvent(last ? "dead-lettered" : "retry scheduled", { "messaging.message.delivery_attempt": delivery.attempt });
          (last ? this.deadLettered : this.retried).add(1, metric);
          throw error;
        } finally {
          span.end();
        }
      },
    });
  }

  deadLetters(queue: string): Promise<DeadLetter[]> {
    return this.bus.deadLetters(queue);
  }

  replayDeadLetters(queue: string, ids?: readonly string[]): Promise<number> {
    return this.bus.replayDeadLetters(queue, ids);
  }

  ping(): Promise<void> {
    return this.bus.ping();
  }

  /** The underlying bus is shared and closed by its owner. */
  async close(): Promise<void> {}
}
