import type { Logger } from "@oms/platform/logging";
import { newId } from "@oms/platform/ids";
import { Payment } from "../domain/payment.js";
import { DuplicatePaymentError, type PaymentRepository } from "../domain/payment-repository.js";
import type { Clock, PaymentProvider, TokenSource } from "./ports.js";
import { refundPayment } from "./refund-payment.js";

/** What happened to the payment of a cancelled order. */
export type CloseOutcome = "cancelled" | "refunded" | "unchanged";

/**
 * order.cancelled: an open checkout is expired at the provider, then the
 * payment is CANCELLED (expire first: a failure leaves it AWAITING_CUSTOMER
 * and the redelivery tries again). A payment that succeeded in the race at
 * the deadline is refunded. A duplicate event, or one for a payment already
 * settled otherwise, changes nothing.
 */
export class CloseCheckout {
  constructor(
    private readonly deps: {
      repository: PaymentRepository;
      provider: PaymentProvider;
      providerName: string;
      clock: Clock;
      newCheckoutToken: TokenSource;
      logger?: Logger;
    },
  ) {}

  async execute(command: { orderId: string; reason: string }): Promise<CloseOutcome> {
    const { repository, provider, clock } = this.deps;
    const reason = command.reason || "order cancelled";
    const payment = await repository.findByOrderId(command.orderId);
    if (!payment) return this.rememberCancelled(command.orderId, reason);

    if (payment.status === "AWAITING_CUSTOMER") {
      if (payment.hasCheckout) await provider.expireCheckout(payment.providerReference);
      const stored = await repository.update(payment.id, (current) => {
        if (current.status === "AWAITING_CUSTOMER") current.cancel(reason, clock());
      });
      // Paid between the expiry and the save: give it back like any payment for a cancelled order.
      if (stored?.status === "SUCCEEDED") return this.refund(stored);
      return "cancelled";
    }
    if (payment.status === "SUCCEEDED") return this.refund(payment);
    return "unchanged";
  }

  private async refund(payment: Payment): Promise<CloseOutcome> {
    await refundPayment(this.deps, payment, "paid as the order was cancelled at its payment deadline");
    return "refunded";
  }

  /** The cancellation overtook order.created: store a CANCELLED payment so no checkout is opened later. */
  private async rememberCancelled(orderId: string, reason: string): Promise<CloseOutcome> {
    const { providerName: provider, newCheckoutToken, clock } = this.deps;
    const payment = Payment.forCancelledOrder({ id: newId(), orderId, provider, checkoutToken: newCheckoutToken(), reason, now: clock() });
    try {
      await this.deps.repository.create(payment);
      return "cancelled";
    } catch (error) {
      // order.created won the race after all: close what it opened.
      if (error instanceof DuplicatePaymentError) return this.execute({ orderId, reason });
      throw error;
    }
  }
}
