import { newId } from "@oms/platform/ids";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCheckoutToken } from "../src/app/checkout-token.js";
import type { OpenCheckoutInput, PaymentProvider } from "../src/app/ports.js";

function checkout(orderId = newId()): OpenCheckoutInput {
  return {
    paymentId: newId(),
    checkoutToken: newCheckoutToken(),
    orderId,
    lines: [{ name: "Margherita", quantity: 2, unitPriceMinor: 950 }],
    total: 1900,
    currency: "EUR",
    expiresAt: new Date(Date.now() + 60 * 60_000),
    idempotencyKey: `oms-checkout-${orderId}`,
  };
}

/** What every PaymentProvider adapter does alike (simulated and Stripe), so the use cases cannot tell them apart. */
export interface ProviderUnderTest {
  provider: PaymentProvider;
  cleanup(): Promise<void>;
  /**
   * The idempotency keys the provider's backend received for checkouts, when
   * that backend keeps no state (stripe-mock): then the contract checks that a
   * repeat carries the same key, which real Stripe answers with the same session.
   */
  checkoutKeysSent?: () => string[];
}

export function describePaymentProviderContract(name: string, make: () => Promise<ProviderUnderTest>): void {
  describe(`PaymentProvider contract: ${name}`, () => {
    let provider: PaymentProvider;
    let cleanup: () => Promise<void>;
    let checkoutKeysSent: (() => string[]) | undefined;
    beforeAll(async () => {
      ({ provider, cleanup, checkoutKeysSent } = await make());
    });
    afterAll(() => cleanup?.());

    it("opens a checkout: a reference and a URL the customer can open", async () => {
      const opened = await provider.openCheckout(checkout());
      expect(opened.providerReference).not.toBe("");
      expect(new URL(opened.checkoutUrl).protocol).toMatch(/^https?:$/);
    });

    it("answers the same checkout again under the same idempotency key: never a second one (a redelivered order.created)", async () => {
      const input = checkout();
      const first = await provider.openCheckout(input);
      const again = await provider.openCheckout(input);
      if (checkoutKeysSent) expect(checkoutKeysSent().slice(-2)).toEqual([input.idempotencyKey, input.idempotencyKey]);
      else expect(again).toEqual(first);
    });

    it("expires an open checkout, and expiring it twice is no error", async () => {
      const opened = await provider.openCheckout(checkout());
      await provider.expireCheckout(opened.providerReference);
      await expect(provider.expireCheckout(opened.providerReference)).resolves.toBeUndefined();
    });

    it("refunds a paid checkout with a reference to the refund", async () => {
      const opened = await provider.openCheckout(checkout());
      const refunded = await provider.refund(opened.providerReference, 1900);
      expect(refunded.refundReference).not.toBe("");
    });
  });
}
