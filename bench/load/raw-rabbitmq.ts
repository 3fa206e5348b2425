import { Connection, type Consumer, type Envelope } from "rabbitmq-client";
import type { EventsClient, EventsPlan } from "./events-plan.js";

/** The trace context the services' envelopes carry (typed-events injects it), so both sides send the same bytes. */
export const benchTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/**
 * The baseline: rabbitmq-client used directly, sending exactly the AMQP
 * message the bus sends for the same event (properties, the trace context and
 * the bus's x-oms headers), to a durable queue, persistent, with confirms;
 * consumed with manual ack per message, the prefetch as concurrency.
 */
export async function rawRabbitMqClient(plan: EventsPlan): Promise<EventsClient> {
  const connection = new Connection({ url: plan.url, connectionName: "oms-bench-raw" });
  const exchange = `oms.bench.raw.${process.pid}`;
  const queue = exchange;
  const routingKey = "order.created";
  const body = Buffer.alloc(plan.bodyBytes, 7);
  const time = Date.now();
  const publisher = connection.createPublisher({
    confirm: true,
    exchanges: [{ exchange, type: "topic", durable: true }],
    queues: [{ queue, durable: true }],
    queueBindings: [{ exchange, queue, routingKey }],
  });
  const envelope = (n: number): Envelope => ({
    exchange,
    routingKey,
    messageId: String(n),
    type: routingKey,
    timestamp: Math.floor(time / 1_000),
    contentType: "application/x-protobuf",
    durable: true,
    headers: { traceparent: benchTraceparent, "x-oms-time": String(time), "x-oms-attempt": "1" },
  });
  let consumer: Consumer | undefined;
  return {
    publish: (n) => publisher.send(envelope(n), body),
    async consume(onMessage) {
      consumer = connection.createConsumer({ queue, queueOptions: { durable: true }, qos: { prefetchCount: plan.prefetch }, concurrency: plan.prefetch }, () => onMessage());
      await new Promise((resolve) => consumer!.once("ready", resolve));
    },
    async close() {
      await consumer?.close();
      await publisher.close();
      const channel = await connection.acquire();
      await channel.queueDelete({ queue });
      await channel.exchangeDelete({ exchange });
      await channel.close();
      await connection.close();
    },
  };
}
