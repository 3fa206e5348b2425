import { envelope, type EventEnvelope } from "@oms/platform/events";
import { moneyToProto } from "@oms/platform/proto-money";
import type { PaymentEvent } from "../domain/payment-events.js";

/** One payment event as the protobuf body the bus carries (the outbox store adds id, time and headers). */
export function paymentEventBody(event: PaymentEvent): EventEnvelope {
  switch (event.type) {
    case "payment.link_created":
      return envelope("payment.link_created", { orderId: event.orderId, paymentId: event.paymentId, checkoutUrl: event.checkoutUrl });
    case "payment.succeeded":
      return envelope("payment.succeeded", { orderId: event.orderId, paymentId: event.paymentId, amount: moneyToProto(event.amount) });
    case "payment.failed":
      return envelope("payment.failed", { orderId: event.orderId, paymentId: event.paymentId, reason: event.reason });
  }
}
