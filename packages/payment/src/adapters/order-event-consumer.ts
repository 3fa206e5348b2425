import { timestampDate } from "@bufbuild/protobuf/wkt";
import { consume, type EventBus } from "@oms/platform/events";
import type { Logger } from "@oms/platform/logging";
import type { PaymentApp } from "../app/payment-app.js";

/** The consumer queue of the payment service, shared by its instances. */
export const paymentQueue = "payment";

/**
 * Subscribes the "payment" queue to order.created (open a checkout),
 * order.cancelled (close it, or refund a payment that won the race) and
 * order.paid (the payment is final: the checkout page may say so). Each
 * handler resolves (acknowledges) only after its change is stored; a thrown
 * error (provider or storage down) makes the bus retry with growing delays.
 */
export async function subscribeOrderEvents(bus: EventBus, app: Pick<PaymentApp, "openCheckout" | "closeCheckout" | "recordOrderPaid">, logger?: Logger): Promise<void> {
  await consume(bus, paymentQueue, {
    "order.created": async (event) => {
      const currencyCode = event.total?.currencyCode ?? "";
      const payment = await app.openCheckout.execute({
        orderId: event.orderId,
        lines: event.lines.map((line) => ({ name: line.name, quantity: line.quantity, unitPriceMinor: Number(line.unitPrice?.amountMinor ?? 0) })),
        total: { currencyCode, amountMinor: Number(event.total?.amountMinor ?? 0) },
        paymentDeadline: event.paymentDeadline ? timestampDate(event.paymentDeadline) : new Date(Date.now() + 15 * 60_000),
      });
      logger?.debug({ orderId: event.orderId, paymentId: payment.id, status: payment.status }, "order.created handled");
    },
    "order.paid": async (event) => {
      const outcome = await app.recordOrderPaid.execute({ orderId: event.orderId });
      logger?.debug({ orderId: event.orderId, outcome }, "order.paid handled");
    },
    "order.cancelled": async (event) => {
      const outcome = await app.closeCheckout.execute({ orderId: event.orderId, reason: event.reason });
      logger?.debug({ orderId: event.orderId, outcome }, "order.cancelled handled");
    },
  });
}
