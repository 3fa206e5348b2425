import { Connection } from "rabbitmq-client";
import { RabbitMqEventBus } from "@oms/platform/events/rabbitmq";
import { millisecondsSince } from "../lib/latency.js";
import { publishFor, type EventsPlan, type EventsThroughput } from "./raw-rabbitmq.js";

/**
 * The same work as rawRabbitMq through the OMS RabbitMqEventBus: publish
 * envelopes with confirms for the plan's duration into a durable queue, then
 * subscribe and consume them all (ack after the handler resolves).
 */
export async function busAdapterThroughput(plan: EventsPlan): Promise<EventsThroughput> {
  const exchange = `oms.bench.bus.${process.pid}`;
  const queue = `oms.bench.bus.${process.pid}`;
  const type = "order.created";
  // The queue exists and is bound before publishing, with the bus's own declarations, so every publish is routed and stored.
  const admin = new Connection({ url: plan.url, connectionName: "oms-bench-admin" });
  const channel = await admin.acquire();
  await channel.exchangeDeclare({ exchange, type: "topic", durable: true });
  await channel.queueDeclare({ queue, durable: true });
  await channel.queueBind({ exchange, queue, routingKey: type });

  const body = new Uint8Array(plan.bodyBytes).fill(7);
  const publishing = new RabbitMqEventBus({ url: plan.url, exchange });
  const now = new Date();
  const published = await publishFor(plan.durationSeconds, plan.inFlight, (n) => publishing.publish({ id: String(n), type, time: now, body, headers: {} }));
  await publishing.close();

  const consuming = new RabbitMqEventBus({ url: plan.url, exchange });
  let consumed = 0;
  let elapsedMs = 0;
  const start = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, plan.consumeTimeoutSeconds * 1000);
    consuming
      .subscribe({
        queue,
        types: [type],
        prefetch: plan.prefetch,
        handler: async () => {
          if (++consumed === published.count) {
            elapsedMs = millisecondsSince(start);
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  if (elapsedMs === 0) elapsedMs = millisecondsSince(start);
  await consuming.close();

  for (const name of [queue, `${queue}.dead`]) await channel.queueDelete({ queue: name });
  await channel.exchangeDelete({ exchange });
  await channel.close();
  await admin.close();
  return { published: published.count, publishPerSecond: published.perSecond, consumed, consumePerSecond: consumed / (elapsedMs / 1000) };
}
