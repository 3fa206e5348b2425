import { randomUUID } from "node:crypto";
import type { Logger } from "@oms/platform/logging";
import type { OpenCheckoutInput, PaymentProvider } from "../app/ports.js";

/** A checkout as the simulated provider keeps it (in memory: it is a demo stand-in for Stripe). */
export interface SimulatedCheckout {
  reference: string;
  paymentId: string;
  orderId: string;
  status: "open" | "expired";
  /** Set once refunded; repeated refunds return it. */
  refundReference?: string;
}

export interface SimulatedProviderOptions {
  /** The payment service's public base URL; the checkout page lives at `${publicUrl}/checkout/<checkout token>`. */
  publicUrl: string;
  /** PAYMENT_AUTO_PAY_AFTER: pay each checkout this long after it opened (0: never, the default). */
  autoPayAfterMs?: number;
  logger?: Logger;
}

/**
 * The embedded payment provider: "opens" a checkout by pointing at the
 * payment service's own checkout page, whose Pay / Cancel buttons report the
 * outcome through the same use cases a Stripe webhook would call. Opening is
 * idempotent on the caller's key, refunds on the checkout.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  private readonly checkouts = new Map<string, SimulatedCheckout>();
  private readonly byIdempotencyKey = new Map<string, string>();
  private readonly autoPayTimers = new Map<string, NodeJS.Timeout>();
  private autoPay: ((paymentId: string) => Promise<unknown>) | undefined;

  constructor(private readonly options: SimulatedProviderOptions) {}

  /** What auto-pay calls when a checkout's time is up (the pay use case); set once the app exists. */
  onAutoPay(pay: (paymentId: string) => Promise<unknown>): void {
    this.autoPay = pay;
  }

  async openCheckout(input: OpenCheckoutInput): Promise<{ providerReference: string; checkoutUrl: string }> {
    const checkoutUrl = `${this.options.publicUrl.replace(/\/+$/, "")}/checkout/${encodeURIComponent(input.checkoutToken)}`;
    const known = this.byIdempotencyKey.get(input.idempotencyKey);
    if (known) return { providerReference: known, checkoutUrl };
    // Random like Stripe's ids: nothing in payment that names a checkout may be guessable.
    const reference = `sim_cs_${randomUUID()}`;
    this.checkouts.set(reference, { reference, paymentId: input.paymentId, orderId: input.orderId, status: "open" });
    this.byIdempotencyKey.set(input.idempotencyKey, reference);
    this.scheduleAutoPay(reference, input.paymentId);
    return { providerReference: reference, checkoutUrl };
  }

  async expireCheckout(providerReference: string): Promise<void> {
    this.cancelAutoPay(providerReference);
    const checkout = this.checkouts.get(providerReference);
    if (checkout) checkout.status = "expired";
  }

  async refund(providerReference: string, _amount: number): Promise<{ refundReference: string }> {
    const checkout = this.checkouts.get(providerReference);
    if (!checkout) return { refundReference: `sim_re_${providerReference}` };
    checkout.refundReference ??= `sim_re_${randomUUID()}`;
    return { refundReference: checkout.refundReference };
  }

  /** A checkout by reference (for tests and diagnostics). */
  checkout(providerReference: string): SimulatedCheckout | undefined {
    const checkout = this.checkouts.get(providerReference);
    return checkout && { ...checkout };
  }

  /** Cancels pending auto-payments (service stop). */
  close(): void {
    for (const timer of this.autoPayTimers.values()) clearTimeout(timer);
    this.autoPayTimers.clear();
  }

  private scheduleAutoPay(reference: string, paymentId: string): void {
    const delay = this.options.autoPayAfterMs ?? 0;
    if (delay <= 0) return;
    const timer = setTimeout(() => {
      this.autoPayTimers.delete(reference);
      this.autoPay?.(paymentId).catch((error: unknown) => this.options.logger?.warn({ err: error, paymentId }, "auto-pay failed"));
    }, delay);
    timer.unref();
    this.autoPayTimers.set(reference, timer);
  }

  private cancelAutoPay(reference: string): void {
    clearTimeout(this.autoPayTimers.get(reference));
    this.autoPayTimers.delete(reference);
  }
}
