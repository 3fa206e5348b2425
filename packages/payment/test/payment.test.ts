import { PreconditionError } from "@oms/platform/errors";
import { describe, expect, it } from "vitest";
import { Payment, type PaymentSnapshot } from "../src/domain/payment.js";
import { newPayment, now } from "./support/payment-fixtures.js";

const later = new Date(now.getTime() + 1000);

function opened(): Payment {
  const payment = newPayment();
  payment.attachCheckout("ref_1", "http://pay.test/checkout/1", now);
  return payment;
}

describe("Payment", () => {
  it("opens AWAITING_CUSTOMER without a checkout, and raises payment.link_created once the checkout is attached", () => {
    const payment = newPayment();
    expect(payment.status).toBe("AWAITING_CUSTOMER");
    expect(payment.hasCheckout).toBe(false);
    expect(payment.outbox).toEqual([]);

    payment.attachCheckout("ref_1", "http://pay.test/checkout/1", later);

    expect(payment.checkoutUrl).toBe("http://pay.test/checkout/1");
    expect(payment.outbox.map((event) => event.type)).toEqual(["payment.link_created"]);
    expect(() => payment.attachCheckout("ref_2", "x", later)).toThrow(PreconditionError);
  });

  it("refuses a payment without lines or with a non-positive or fractional amount", () => {
    const base = { id: "p", orderId: "o", checkoutToken: "t", provider: "simulated", expiresAt: now, now };
    const lines = [{ name: "Soup", quantity: 1, unitPriceMinor: 100 }];
    expect(() => Payment.open({ ...base, checkoutToken: "", lines, amount: { currencyCode: "EUR", amountMinor: 100 } })).toThrow(/checkout token/);
    expect(() => Payment.open({ ...base, lines: [], amount: { currencyCode: "EUR", amountMinor: 100 } })).toThrow(/at least one line/);
    expect(() => Payment.open({ ...base, lines, amount: { currencyCode: "EUR", amountMinor: 0 } })).toThrow(/positive/);
    expect(() => Payment.open({ ...base, lines, amount: { currencyCode: "EUR", amountMinor: 1.5 } })).toThrow(/whole/);
    expect(() => Payment.open({ ...base, lines, amount: { currencyCode: "euro", amountMinor: 100 } })).toThrow(/ISO-4217/);
    for (const currencyCode of ["EURO", "XEUR", "EU"]) {
      expect(() => Payment.open({ ...base, lines, amount: { currencyCode, amountMinor: 100 } })).toThrow("order o: currency must be an ISO-4217 code");
    }
    expect(() => Payment.open({ ...base, lines, amount: { currencyCode: "EUR", amountMinor: -1 } })).toThrow(
      "order o: the amount to pay must be a positive whole number of minor units",
    );
    expect(Payment.open({ ...base, lines, amount: { currencyCode: "EUR", amountMinor: 1 } }).amount).toEqual({ currencyCode: "EUR", amountMinor: 1 });
  });

  it("keeps when it was made, when it last changed and when its checkout closes", () => {
    const fresh = newPayment();
    expect([fresh.failureReason, fresh.refundReference, fresh.checkoutUrl, fresh.providerReference]).toEqual(["", "", "", ""]);
    const payment = opened();
    expect([payment.createTime, payment.updateTime, payment.expiresAt]).toEqual([now, now, new Date(now.getTime() + 15 * 60_000)]);
    payment.succeed(later);
    expect([payment.createTime, payment.updateTime]).toEqual([now, later]);
  });

  it("records a checkout opened after it was cancelled, announcing no link (the checkout is to be expired)", () => {
    const payment = newPayment();
    payment.cancel("changed my mind", now);
    payment.attachCheckout("ref_1", "http://pay.test/checkout/1", later);

    expect([payment.hasCheckout, payment.providerReference, payment.status, payment.updateTime]).toEqual([true, "ref_1", "CANCELLED", later]);
    expect(payment.outbox).toEqual([]);
    expect(() => payment.attachCheckout("ref_2", "x", later)).toThrow(`payment ${payment.id} already has checkout ref_1`);
  });

  it("names the payment, its status and the move it refuses", () => {
    const payment = opened();
    payment.succeed(later);
    expect(() => payment.fail("x", later)).toThrow(`payment ${payment.id} is SUCCEEDED; cannot fail`);
    expect(() => payment.cancel("x", later)).toThrow(`payment ${payment.id} is SUCCEEDED; cannot be cancelled`);
  });

  it("succeeds once, raising payment.succeeded with the amount", () => {
    const payment = opened();
    payment.succeed(later);

    expect(payment.status).toBe("SUCCEEDED");
    expect(payment.outbox.at(-1)).toMatchObject({ type: "payment.succeeded", amount: { currencyCode: "EUR", amountMinor: 2150 } });
    expect(() => payment.succeed(later)).toThrow(/SUCCEEDED; cannot succeed/);
    expect(() => payment.cancel("late", later)).toThrow(PreconditionError);
  });

  it("cannot succeed before it has a checkout", () => {
    expect(() => newPayment().succeed(later)).toThrow(/no checkout/);
  });

  it("fails with a reason, raising payment.failed", () => {
    const payment = opened();
    payment.fail("customer cancelled at checkout", later);

    expect(payment.status).toBe("FAILED");
    expect(payment.failureReason).toBe("customer cancelled at checkout");
    expect(payment.outbox.at(-1)).toMatchObject({ type: "payment.failed", reason: "customer cancelled at checkout" });
  });

  it("refuses money that arrives after it failed, and can only be refunded then", () => {
    const payment = opened();
    payment.fail("checkout expired", later);

    expect(payment.refusesPayment).toBe(true);
    expect(() => payment.succeed(later)).toThrow(/FAILED; cannot succeed/);
    payment.refund("re_1", "paid after the checkout expired", later);
    expect([payment.status, payment.refundReference, payment.failureReason]).toEqual(["REFUNDED", "re_1", "paid after the checkout expired"]);
    expect(payment.outbox.map((event) => event.type)).toEqual(["payment.link_created", "payment.failed"]);
  });

  it("takes money while awaiting the customer or once it succeeded: neither refuses it", () => {
    const payment = opened();
    expect(payment.refusesPayment).toBe(false);
    payment.succeed(later);
    expect(payment.refusesPayment).toBe(false);
  });

  it("is cancelled quietly (order already knows), and a late payment on it can only be refunded", () => {
    const payment = opened();
    payment.cancel("changed my mind", later);

    expect(payment.status).toBe("CANCELLED");
    expect(payment.outbox.map((event) => event.type)).toEqual(["payment.link_created"]);
    expect(payment.refusesPayment).toBe(true);
    expect(() => payment.succeed(later)).toThrow(/CANCELLED/);

    payment.refund("re_1", "paid after the order was cancelled", later);
    expect(payment.status).toBe("REFUNDED");
    expect(payment.refundReference).toBe("re_1");
  });

  it("refunds a succeeded payment, and nothing moves a refunded one", () => {
    const payment = opened();
    payment.succeed(later);
    payment.refund("re_1", "order cancelled", later);

    expect([payment.status, payment.refundReference, payment.failureReason]).toEqual(["REFUNDED", "re_1", "order cancelled"]);
    expect(() => payment.refund("re_2", "again", later)).toThrow(/REFUNDED; cannot be refunded/);
    expect(() => payment.fail("x", later)).toThrow(PreconditionError);
  });

  it("is accepted by order only once it succeeded, once, and stays refundable until then", () => {
    const payment = opened();
    expect(() => payment.acceptByOrder(later)).toThrow(/AWAITING_CUSTOMER; order cannot accept it/);
    payment.succeed(later);
    expect(payment.orderAccepted).toBe(false);

    payment.acceptByOrder(later);
    const version = payment.version;
    payment.acceptByOrder(later);

    expect([payment.orderAccepted, payment.version]).toEqual([true, version]);
    expect(payment.outbox.map((event) => event.type)).toEqual(["payment.link_created", "payment.succeeded"]);
  });

  it("cannot be refunded while the customer has not paid", () => {
    expect(() => opened().refund("re_1", "x", later)).toThrow(/AWAITING_CUSTOMER/);
  });

  it("records an order cancelled before its checkout opened, with no checkout and no event", () => {
    const payment = Payment.forCancelledOrder({ id: "p", orderId: "o", provider: "simulated", checkoutToken: "t", reason: "too slow", now });
    expect([payment.status, payment.failureReason, payment.hasCheckout, payment.outbox.length]).toEqual(["CANCELLED", "too slow", false, 0]);
    expect(payment.toSnapshot()).toEqual({
      id: "p",
      orderId: "o",
      status: "CANCELLED",
      amount: { currencyCode: "", amountMinor: 0 },
      lines: [],
      provider: "simulated",
      providerReference: "",
      checkoutUrl: "",
      checkoutToken: "t",
      orderAccepted: false,
      expiresAt: now,
      failureReason: "too slow",
      refundReference: "",
      createTime: now,
      updateTime: now,
      version: 1,
      outbox: [],
    });
  });

  it("reads a payment stored before checkout tokens existed as having none", () => {
    const { checkoutToken: _, ...stored } = opened().toSnapshot();
    expect(Payment.fromSnapshot(stored as PaymentSnapshot).checkoutToken).toBe("");
  });

  it("copies its state in and out of snapshots", () => {
    const payment = opened();
    const snapshot = payment.toSnapshot();
    snapshot.lines[0]!.name = "changed";
    expect(payment.lines[0]!.name).toBe("Margherita");
    expect(Payment.fromSnapshot(payment.toSnapshot()).toSnapshot()).toEqual(payment.toSnapshot());
  });
});
