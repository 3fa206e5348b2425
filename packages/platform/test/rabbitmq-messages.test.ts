import type { AsyncMessage } from "rabbitmq-client";
import { describe, expect, it } from "vitest";
import { bufferOf, fromMessage, toProperties } from "../src/events/rabbitmq-messages.js";

/** An AMQP delivery as rabbitmq-client hands it to a consumer, with what a test needs to vary. */
function message(overrides: Partial<AsyncMessage>): AsyncMessage {
  return { body: Buffer.alloc(0), deliveryTag: 1, redelivered: false, consumerTag: "c", exchange: "oms.events", routingKey: "order.created", durable: true, ...overrides };
}

describe("AMQP messages of the RabbitMQ bus", () => {
  it("gives a handler exactly the message's bytes as a plain Uint8Array, also when the client's Buffer is part of a larger one", () => {
    const chunk = Buffer.from([9, 9, 0, 1, 2, 254, 255, 9]);
    const delivery = fromMessage(message({ body: chunk.subarray(2, 7) }), "q");
    expect(delivery.body.constructor).toBe(Uint8Array);
    expect([...delivery.body]).toEqual([0, 1, 2, 254, 255]);
  });

  it("gives an empty body for an empty message, which the client may hand over as a string", () => {
    expect(fromMessage(message({ body: "" }), "q").body).toEqual(new Uint8Array());
  });

  it("hides the bus's and the broker's own headers from a handler and keeps the event's string headers", () => {
    const headers = {
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "x-custom": "kept",
      "x-deathly": "kept: only x-death itself is the broker's",
      "x-oms-time": "1700000000123",
      "x-oms-attempt": "3",
      "x-death": "[]",
      "x-first-death-queue": "q",
      "x-last-death-reason": "expired",
      count: 7,
    };
    const delivery = fromMessage(message({ headers, messageId: "e1", type: "order.created" }), "q");
    expect(delivery.headers).toEqual({ traceparent: headers.traceparent, "x-custom": "kept", "x-deathly": headers["x-deathly"] });
    expect(delivery).toMatchObject({ id: "e1", type: "order.created", attempt: 3, queue: "q", time: new Date(1_700_000_000_123) });
  });

  it("sends an event's body without copying it: a Buffer over the same bytes", () => {
    const whole = Uint8Array.from([7, 0, 1, 2, 7]);
    const body = whole.subarray(1, 4);
    const sent = bufferOf(body);
    expect(Buffer.isBuffer(sent)).toBe(true);
    expect([...sent]).toEqual([0, 1, 2]);
    expect(sent.buffer).toBe(whole.buffer);
  });

  it("round-trips an event through the properties it is published with", () => {
    const event = { id: "e2", type: "order.paid", time: new Date(1_700_000_000_456), body: Uint8Array.from([1, 2]), headers: { traceparent: "t" } };
    const properties = toProperties(event, 2);
    const delivery = fromMessage(message({ ...properties, body: bufferOf(event.body) }), "q");
    expect(delivery).toEqual({ ...event, attempt: 2, queue: "q" });
  });
});
