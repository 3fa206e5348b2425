import type { AsyncMessage, Envelope, SyncMessage } from "rabbitmq-client";
import type { Delivery, EventEnvelope } from "./event-bus.js";

/**
 * How an event maps onto an AMQP message, and back. The standard properties
 * carry id (message-id), type and time (timestamp, whole seconds); the
 * `x-oms-*` headers carry what they cannot: the time to the millisecond, the
 * attempt number, and on dead letters the error. Those, and the broker's
 * `x-death` bookkeeping, never reach a handler's `headers`.
 */
const internalHeader = /^x-(oms-|death$|first-death-|last-death-)/;

export const deadQueueName = (queue: string) => `${queue}.dead`;
export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}`;

/** AMQP properties for `event` on its `attempt`-th delivery: persistent, binary body. */
export function toProperties(event: EventEnvelope, attempt: number): Omit<Envelope, "exchange" | "routingKey"> {
  return {
    messageId: event.id,
    type: event.type,
    timestamp: Math.floor(event.time.getTime() / 1_000),
    contentType: "application/x-protobuf",
    durable: true,
    headers: { ...event.headers, "x-oms-time": String(event.time.getTime()), "x-oms-attempt": String(attempt) },
  };
}

/** The headers a dead letter carries besides the event's own. */
export function deadLetterHeaders(attempts: number, error: unknown): Record<string, string> {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return { "x-oms-attempts": String(attempts), "x-oms-error": text, "x-oms-dead-time": String(Date.now()) };
}

/** The delivery a handler sees for an AMQP message taken from `queue`. */
export function fromMessage(message: AsyncMessage | SyncMessage, queue: string): Delivery {
  const amqpHeaders = message.headers ?? {};
  const headers: Record<string, string> = {};
  for (const name in amqpHeaders) {
    const value: unknown = amqpHeaders[name];
    // Most names do not start with "x-": only those need the pattern.
    if (typeof value === "string" && !(name.startsWith("x-") && internalHeader.test(name))) headers[name] = value;
  }
  const millis = Number(amqpHeaders["x-oms-time"]);
  return {
    id: message.messageId ?? "",
    type: message.type ?? message.routingKey,
    time: new Date(Number.isFinite(millis) ? millis : (message.timestamp ?? 0) * 1_000),
    body: bodyOf(message.body),
    headers,
    attempt: Number(amqpHeaders["x-oms-attempt"] ?? 1) || 1,
    queue,
  };
}

/**
 * A plain Uint8Array, as the publisher gave it: a view of the Buffer the
 * client assembled for this message alone, not a copy (an empty body may come
 * back as a string).
 */
function bodyOf(body: unknown): Uint8Array {
  if (Buffer.isBuffer(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return new Uint8Array(Buffer.from(typeof body === "string" ? body : ""));
}

/** The event's body as the Buffer the client sends, without a copy (a Buffer view of the same bytes). */
export function bufferOf(body: Uint8Array): Buffer {
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}
