import { ValidationError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { Payment, type CheckoutLine, type Money } from "../domain/payment.js";
import { DuplicatePaymentError, type PaymentRepository } from "../domain/payment-repository.js";
import type { Clock, PaymentProvider, Publish, TokenSource } from "./ports.js";

/** What order.created tells payment. */
export interface OpenCheckoutCommand {
  orderId: string;
  lines: CheckoutLine[];
  total: Money;
  paymentDeadline: Date;
}

/**
 * order.created: stores the order's payment, asks the provider for a checkout
 * and records it with `payment.link_created`. Idempotent by order id: a
 * redelivered (or concurrent) event finds the stored payment, and the
 * provider call carries a key derived from the order, so one order never
 * gets two checkouts.
 */
export class OpenCheckout {
  constructor(
    private readonly deps: {
      repository: PaymentRepository;
      provider: PaymentProvider;
      providerName: string;
      publish: Publish;
      clock: Clock;
      newCheckoutToken: TokenSource;
    },
  ) {}

  async execute(command: OpenCheckoutCommand): Promise<Payment> {
    if (command.orderId === "") throw new ValidationError("order_id", "must not be empty");
    const { repository, provider, publish, clock } = this.deps;
    let payment = await this.findOrCreate(command);
    if (payment.hasCheckout || payment.status !== "AWAITING_CUSTOMER") return payment;

    const checkout = await provider.openCheckout({
      paymentId: payment.id,
      checkoutToken: payment.checkoutToken,
      orderId: payment.orderId,
      lines: payment.lines,
      total: payment.amount.amountMinor,
      currency: payment.amount.currencyCode,
      expiresAt: payment.expiresAt,
      idempotencyKey: `oms-checkout-${payment.orderId}`,
    });
    payment = (await repository.update(payment.id, (current) => {
      if (!current.hasCheckout) current.attachCheckout(checkout.providerReference, checkout.checkoutUrl, clock());
    }))!;
    // Cancelled while the provider was opening it: close it again (pay on it would be refunded anyway).
    if (payment.status === "CANCELLED") await provider.expireCheckout(checkout.providerReference);
    await publish();
    return payment;
  }

  private async findOrCreate(command: OpenCheckoutCommand): Promise<Payment> {
    const existing = await this.deps.repository.findByOrderId(command.orderId);
    if (existing) return existing;
    const payment = Payment.open({
      id: newId(),
      orderId: command.orderId,
      checkoutToken: this.deps.newCheckoutToken(),
      amount: command.total,
      lines: command.lines,
      provider: this.deps.providerName,
      expiresAt: command.paymentDeadline,
      now: this.deps.clock(),
    });
    try {
      // Stored in the order.created delivery: events raised later outside any trace (checkout page, webhook) continue it.
      await this.deps.repository.create(payment);
      return payment;
    } catch (error) {
      if (error instanceof DuplicatePaymentError) return error.existing;
      throw error;
    }
  }
}
