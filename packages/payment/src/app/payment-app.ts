import type { Logger } from "@oms/platform/logging";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { CloseCheckout } from "./close-checkout.js";
import { GetPayment } from "./get-payment.js";
import { OpenCheckout } from "./open-checkout.js";
import { newCheckoutToken } from "./checkout-token.js";
import type { Clock, PaymentProvider, Publish, TokenSource } from "./ports.js";
import { RecordOrderPaid } from "./record-order-paid.js";
import { RecordPaymentFailed } from "./record-payment-failed.js";
import { RecordPaymentSucceeded } from "./record-payment-succeeded.js";

export interface PaymentAppDeps {
  repository: PaymentRepository;
  provider: PaymentProvider;
  /** Stored on each payment: "simulated" or "stripe". */
  providerName: string;
  /** Publishes the outbox after a save (OutboxRelay.flush). */
  publish: Publish;
  clock?: Clock;
  /** Makes each payment's checkout token; 128 random bits by default. */
  newCheckoutToken?: TokenSource;
  logger?: Logger;
}

/** Every use case of the payment service, wired to the same ports. */
export function createPaymentApp(deps: PaymentAppDeps) {
  const shared = { ...deps, clock: deps.clock ?? (() => new Date()), newCheckoutToken: deps.newCheckoutToken ?? newCheckoutToken };
  return {
    openCheckout: new OpenCheckout(shared),
    closeCheckout: new CloseCheckout(shared),
    recordPaymentSucceeded: new RecordPaymentSucceeded(shared),
    recordPaymentFailed: new RecordPaymentFailed(shared),
    recordOrderPaid: new RecordOrderPaid(shared),
    getPayment: new GetPayment(deps.repository),
  };
}

export type PaymentApp = ReturnType<typeof createPaymentApp>;
