import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { envelope, type EventEnvelope, type OutboxStore } from "@oms/platform/events";
import type { OrderLine } from "../domain/order.js";
import type { OrderEvent } from "../domain/order-events.js";
import type { OrderRepository } from "../domain/order-repository.js";
import { moneyToProto } from "./proto-money.js";

/**
 * The order repository's outbox as the platform's OutboxRelay reads it: the
 * domain's plain events become protobuf envelopes here, keeping the id and
 * time they were raised with so a re-publish is recognised as a duplicate.
 */
export class OrderOutboxStore implements OutboxStore {
  constructor(private readonly repository: OrderRepository) {}

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: EventEnvelope[] }>> {
    const pending = await this.repository.pendingOutbox(limit);
    return pending.map(({ orderId, events }) => ({ aggregateId: orderId, events: events.map(toEnvelope) }));
  }

  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    return this.repository.markPublished(aggregateId, eventIds);
  }
}

/** One domain event as the envelope the bus carries. */
export function toEnvelope(event: OrderEvent): EventEnvelope {
  return { ...bodyOf(event), id: event.id, time: new Date(event.time), headers: { ...event.headers } };
}

function bodyOf(event: OrderEvent): EventEnvelope {
  switch (event.type) {
    case "order.created":
      return envelope("order.created", {
        orderId: event.orderId,
        customerId: event.customerId,
        lines: event.lines.map(lineToProto),
        total: moneyToProto(event.total),
        paymentDeadline: timestampFromDate(new Date(event.paymentDeadline)),
      });
    case "order.paid":
      return envelope("order.paid", { orderId: event.orderId, lines: event.lines.map(lineToProto), total: moneyToProto(event.total) });
    case "order.cancelled":
      return envelope("order.cancelled", { orderId: event.orderId, reason: event.reason });
    case "order.completed":
      return envelope("order.completed", { orderId: event.orderId });
  }
}

function lineToProto(line: OrderLine) {
  return { itemId: line.itemId, name: line.name, quantity: line.quantity, unitPrice: moneyToProto(line.unitPrice) };
}
