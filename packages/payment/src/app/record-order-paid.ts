import type { Logger } from "@oms/platform/logging";
import type { PaymentRepository } from "../domain/payment-repository.js";
import type { Clock } from "./ports.js";

/** What order.paid did to the payment. */
export type OrderPaidOutcome = "accepted" | "unchanged" | "unknown-order";

/**
 * order.paid: order took the money, so the payment's outcome is final and
 * the checkout page may say the order goes to the kitchen. Until this
 * arrives a SUCCEEDED payment can still be refunded (the order was cancelled
 * in the same moment); the page says it is waiting. A duplicate changes
 * nothing; a payment in any other state is left alone (order pays only on
 * payment.succeeded, so that would be a stray event).
 */
export class RecordOrderPaid {
  constructor(private readonly deps: { repository: PaymentRepository; clock: Clock; logger?: Logger }) {}

  async execute(event: { orderId: string }): Promise<OrderPaidOutcome> {
    const { repository, clock, logger } = this.deps;
    const payment = await repository.findByOrderId(event.orderId);
    if (!payment) return "unknown-order";
    let accepted = false;
    await repository.update(payment.id, (current) => {
      if (current.status !== "SUCCEEDED" || current.orderAccepted) return;
      current.acceptByOrder(clock());
      accepted = true;
    });
    if (!accepted && payment.status !== "SUCCEEDED") {
      logger?.warn({ orderId: event.orderId, paymentId: payment.id, status: payment.status }, "order.paid for a payment that did not succeed, ignored");
    }
    return accepted ? "accepted" : "unchanged";
  }
}
