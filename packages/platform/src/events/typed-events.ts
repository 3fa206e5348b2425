import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { context, propagation } from "@opentelemetry/api";
import { newId } from "../ids.js";
import { withOrderId } from "../telemetry/order-id.js";
import { eventCatalog, type EventOf, type EventType } from "./catalog.js";
import type { Delivery, EventBus, EventEnvelope } from "./event-bus.js";

/**
 * Builds an envelope for a catalog event: a fresh id, the current time, the
 * binary body, and the active trace context, so an event written to an
 * outbox and published later still belongs to the trace of its cause.
 */
export function envelope<T extends EventType>(
  type: T,
  message: MessageInitShape<(typeof eventCatalog)[T]>,
  headers: Record<string, string> = {},
): EventEnvelope {
  const schema = eventCatalog[type];
  // The catalog pairs each key with its schema; TypeScript cannot follow the pairing through the union.
  const body = toBinary(schema as never, create(schema as never, message as never));
  const carried = { ...headers };
  propagation.inject(context.active(), carried);
  return { id: newId(), type, time: new Date(), body, headers: carried };
}

/** Decodes a delivery's body with the schema its type names. */
export function decode<T extends EventType>(type: T, event: EventEnvelope): EventOf<T> {
  return fromBinary(eventCatalog[type] as never, event.body);
}

/** One handler per event type a service consumes. */
export type TypedHandlers = {
  [T in EventType]?: (event: EventOf<T>, delivery: Delivery) => Promise<void>;
};

/** Subscribes `queue` to the types in `handlers`, decoding each body before calling its handler. */
export async function consume(bus: EventBus, queue: string, handlers: TypedHandlers, prefetch?: number): Promise<void> {
  const types = Object.keys(handlers) as EventType[];
  await bus.subscribe({
    queue,
    types,
    prefetch,
    handler: async (delivery) => {
      const type = delivery.type as EventType;
      const handle = handlers[type] as ((event: unknown, delivery: Delivery) => Promise<void>) | undefined;
      // A type bound by an older version of this consumer: nothing to do, so acknowledge it.
      if (!handle) return;
      const event = decode(type, delivery);
      // Every event is about one order: the delivery's span and all it starts carry its id.
      await withOrderId(event.orderId, () => handle(event, delivery));
    },
  });
}
