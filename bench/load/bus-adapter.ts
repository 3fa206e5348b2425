import { Connection } from "rabbitmq-client";
import type { EventBus } from "@oms/platform/events";
import { RabbitMqEventBus } from "@oms/platform/events/rabbitmq";
import type { EventsClient, EventsPlan } from "./events-plan.js";
import { benchTraceparent } from "./raw-rabbitmq.js";

/**
 * The same work as the raw loop through the OMS RabbitMqEventBus: envelopes
 * carrying a trace context, as typed-events builds them, published with
 * confirms; a subscription with manual ack after the handler resolves
 * (decoding the body and the services' own work are not the bus's).
 */
export async function busAdapterClient(plan: EventsPlan, Bus: typeof RabbitMqEventBus = RabbitMqEventBus, wrap: (bus: EventBus) => EventBus = (bus) => bus): Promise<EventsClient> {
  const exchange = `oms.bench.bus.${process.pid}`;
  const queue = exchange;
  const type = "order.created";
  // The queue exists and is bound before publishing, with the bus's own declarations, so every publish is routed and stored.
  const admin = new Connection({ url: plan.url, connectionName: "oms-bench-admin" });
  const channel = await admin.acquire();
  await channel.exchangeDeclare({ exchange, type: "topic", durable: true });
  await channel.queueDeclare({ queue, durable: true });
  await channel.queueBind({ exchange, queue, routingKey: type });

  const body = new Uint8Array(plan.bodyBytes).fill(7);
  const time = new Date();
  const headers = { traceparent: benchTraceparent };
  const bus = wrap(new Bus({ url: plan.url, exchange }));
  return {
    publish: (n) => bus.publish({ id: String(n), type, time, body, headers }),
    consume: (onMessage) => bus.subscribe({ queue, types: [type], prefetch: plan.prefetch, handler: () => onMessage() }),
    async close() {
      await bus.close();
      for (const name of [queue, `${queue}.dead`]) await channel.queueDelete({ queue: name });
      await channel.exchangeDelete({ exchange });
      await channel.close();
      await admin.close();
    },
  };
}
