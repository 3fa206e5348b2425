import { Connection } from "rabbitmq-client";
import { millisecondsSince } from "../lib/latency.js";

/** Publish and consume throughput of one messaging client, in messages per second. */
export interface EventsThroughput {
  published: number;
  publishPerSecond: number;
  consumed: number;
  consumePerSecond: number;
}

/** Publish and consume limits shared by the raw loop and the adapter, so both do the same work. */
export interface EventsPlan {
  url: string;
  durationSeconds: number;
  inFlight: number;
  prefetch: number;
  bodyBytes: number;
  consumeTimeoutSeconds: number;
}

/**
 * Keeps `inFlight` confirmed publishes going for `seconds`; returns how many the
 * broker confirmed. `publish` resolves on the broker's confirm.
 */
export async function publishFor(seconds: number, inFlight: number, publish: (n: number) => Promise<void>): Promise<{ count: number; perSecond: number }> {
  const start = process.hrtime.bigint();
  const deadline = Date.now() + seconds * 1000;
  let next = 0;
  let count = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      await publish(next++);
      count++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { count, perSecond: count / (millisecondsSince(start) / 1000) };
}

/** The baseline: rabbitmq-client used directly, a durable queue, persistent messages, confirms, manual ack. */
export async function rawRabbitMq(plan: EventsPlan): Promise<EventsThroughput> {
  const connection = new Connection({ url: plan.url, connectionName: "oms-bench-raw" });
  const exchange = `oms.bench.raw.${process.pid}`;
  const queue = `oms.bench.raw.${process.pid}`;
  const body = Buffer.alloc(plan.bodyBytes, 7);
  const publisher = connection.createPublisher({
    confirm: true,
    exchanges: [{ exchange, type: "topic", durable: true }],
    queues: [{ queue, durable: true }],
    queueBindings: [{ exchange, queue, routingKey: "bench.#" }],
  });
  const published = await publishFor(plan.durationSeconds, plan.inFlight, (n) =>
    publisher.send({ exchange, routingKey: "bench.raw", durable: true, messageId: String(n), type: "bench.raw", contentType: "application/x-protobuf" }, body),
  );
  await publisher.close();

  let consumed = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  let consumer: { close(): Promise<void> } | undefined;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, plan.consumeTimeoutSeconds * 1000);
    consumer = connection.createConsumer({ queue, queueOptions: { durable: true }, qos: { prefetchCount: plan.prefetch }, concurrency: plan.prefetch }, async () => {
      if (++consumed === published.count) {
        elapsedMs = millisecondsSince(start);
        clearTimeout(timer);
        resolve();
      }
    });
  });
  if (elapsedMs === 0) elapsedMs = millisecondsSince(start);
  await consumer?.close();
  const channel = await connection.acquire();
  await channel.queueDelete({ queue });
  await channel.exchangeDelete({ exchange });
  await channel.close();
  await connection.close();
  return { published: published.count, publishPerSecond: published.perSecond, consumed, consumePerSecond: consumed / (elapsedMs / 1000) };
}
