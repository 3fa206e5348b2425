import { describe, expect, it } from "vitest";
import { refundPayment } from "../src/app/refund-payment.js";
import { MemoryPaymentRepository } from "../src/adapters/memory-payment-repository.js";
import { capturedLogger, newPayment, now, RecordingProvider } from "./support/payment-fixtures.js";

async function succeeded() {
  const repository = new MemoryPaymentRepository();
  const payment = newPayment();
  payment.attachCheckout("ref_1", "http://pay.test/checkout/1", now);
  payment.succeed(now);
  await repository.create(payment);
  return { repository, payment, provider: new RecordingProvider() };
}

describe("refundPayment", () => {
  it("gives the money back once, records it REFUNDED with why, and logs the refund without payment data", async () => {
    const { repository, payment, provider } = await succeeded();
    const { logger, lines } = capturedLogger();
    const deps = { repository, provider, clock: () => now, logger };

    const stored = await refundPayment(deps, payment, "order cancelled");
    expect(stored).toMatchObject({ status: "REFUNDED", refundReference: "re_ref_1", failureReason: "order cancelled" });
    expect(await refundPayment(deps, stored, "again")).toBe(stored);

    expect(provider.refunds).toEqual([{ providerReference: "ref_1", amount: 2150 }]);
    expect(lines).toEqual([
      expect.objectContaining({ msg: "payment refunded", orderId: payment.orderId, paymentId: payment.id, refundReference: "re_ref_1", reason: "order cancelled" }),
    ]);
  });

  it("records one refund when two are asked for at once (the provider refunds a checkout once)", async () => {
    const { repository, payment, provider } = await succeeded();
    const deps = { repository, provider, clock: () => now };

    const [first, second] = await Promise.all([refundPayment(deps, payment, "first"), refundPayment(deps, payment, "second")]);
    expect([first.status, second.status]).toEqual(["REFUNDED", "REFUNDED"]);
    expect((await repository.get(payment.id))?.failureReason).toBe("first");
  });
});
