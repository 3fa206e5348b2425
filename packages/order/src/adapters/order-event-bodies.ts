import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { envelope, type EventEnvelope } from "@oms/platform/events";
import { moneyToProto } from "@oms/platform/proto-money";
import type { OrderLine } from "../domain/order.js";
import type { OrderEvent } from "../domain/order-events.js";

/** One order event as the protobuf body the bus carries (the outbox store adds id, time and headers). */
export function orderEventBody(event: OrderEvent): EventEnvelope {
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
