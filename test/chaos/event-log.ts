import { eventCatalog, decode, type EventType } from "@oms/platform/events";
import { RabbitMqEventBus } from "@oms/platform/events/rabbitmq";

/**
 * Every event on the broker, seen from a queue of the test's own (durable,
 * bound to every type, so it keeps what arrives while the test's connection is
 * down with the broker). Deliveries are deduplicated by event id, as the
 * services' consumers do: a redelivered or republished event counts once, but
 * two different events deciding the same thing (two ticket_ready ids for one
 * order) count twice, which is what the accounting looks for.
 */
export class EventLog {
  private readonly ids = new Map<EventType, Map<string, Map<string, Date>>>();
  private deliveries = 0;

  private constructor(private readonly bus: RabbitMqEventBus) {}

  static async observe(amqpUrl: string): Promise<EventLog> {
    const log = new EventLog(new RabbitMqEventBus({ url: amqpUrl, reconnectMaxDelayMs: 500 }));
    const types = Object.keys(eventCatalog) as EventType[];
    await log.bus.subscribe({
      queue: "chaos-observer",
      types,
      handler: async (delivery) => {
        const type = delivery.type as EventType;
        const { orderId } = decode(type, delivery) as { orderId: string };
        const byOrder = log.ids.get(type) ?? new Map<string, Map<string, Date>>();
        log.ids.set(type, byOrder.set(orderId, (byOrder.get(orderId) ?? new Map()).set(delivery.id, delivery.time)));
        log.deliveries++;
      },
    });
    return log;
  }

  /** How many distinct events of `type` were published about the order. */
  count(type: EventType, orderId: string): number {
    return this.ids.get(type)?.get(orderId)?.size ?? 0;
  }

  /** When each distinct event of `type` about the order happened, in seconds since `epoch`: to line doubles up with the faults. */
  times(type: EventType, orderId: string, epoch: number): string[] {
    return [...(this.ids.get(type)?.get(orderId)?.values() ?? [])].map((time) => `+${((time.getTime() - epoch) / 1000).toFixed(1)}s`);
  }

  /** Every order id some event of `type` was about. */
  orders(type: EventType): string[] {
    return [...(this.ids.get(type)?.keys() ?? [])];
  }

  get deliveriesSeen(): number {
    return this.deliveries;
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}
