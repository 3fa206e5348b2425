import { NotFoundError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { makePaymentApp, orderCreated } from "./support/payment-fixtures.js";

describe("payment use cases", () => {
  it("opens one checkout per order, with a key derived from the order, however often order.created arrives", async () => {
    const { app, provider, repository, types } = makePaymentApp();
    const order = orderCreated();

    const [first, second] = await Promise.all([app.openCheckout.execute(order), app.openCheckout.execute(order)]);
    const third = await app.openCheckout.execute(order);

    expect(new Set([first.id, second.id, third.id]).size).toBe(1);
    expect(new Set(provider.opened.map((call) => call.idempotencyKey))).toEqual(new Set([`oms-checkout-${order.orderId}`]));
    expect(provider.opened[0]).toMatchObject({ orderId: order.orderId, total: 2150, currency: "EUR", lines: order.lines, expiresAt: order.paymentDeadline });
    expect(types()).toEqual(["payment.link_created"]);
    expect((await repository.findByOrderId(order.orderId))?.checkoutUrl).toBe(`http://pay.test/checkout/${first.checkoutToken}`);
  });

  it("pays an open checkout once: payment.succeeded, then duplicates change nothing", async () => {
    const { app, types } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());

    expect(await app.recordPaymentSucceeded.execute({ paymentId: payment.id })).toBe("paid");
    expect(await app.recordPaymentSucceeded.execute({ orderId: payment.orderId })).toBe("already-settled");

    expect(types()).toEqual(["payment.link_created", "payment.succeeded"]);
  });

  it("records a cancel at checkout as FAILED with payment.failed", async () => {
    const { app, published } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());

    expect(await app.recordPaymentFailed.execute({ paymentId: payment.id }, "customer cancelled at checkout")).toBe("failed");
    expect(await app.recordPaymentFailed.execute({ paymentId: payment.id }, "again")).toBe("already-settled");

    expect(published.at(-1)).toMatchObject({ type: "payment.failed", reason: "customer cancelled at checkout" });
    expect(published.filter((event) => event.type === "payment.failed")).toHaveLength(1);
  });

  it("expires the checkout when the order is cancelled before payment, once", async () => {
    const { app, provider, repository } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());

    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "changed my mind" })).toBe("cancelled");
    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "changed my mind" })).toBe("unchanged");

    expect(provider.expired).toEqual([payment.providerReference]);
    expect(await repository.findByOrderId(payment.orderId)).toMatchObject({ status: "CANCELLED", failureReason: "changed my mind" });
  });

  it("refunds a payment made after the order was cancelled, publishing no payment.succeeded", async () => {
    const { app, provider, repository, types } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    await app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" });

    expect(await app.recordPaymentSucceeded.execute({ paymentId: payment.id })).toBe("refunded");
    expect(await app.recordPaymentSucceeded.execute({ paymentId: payment.id })).toBe("already-settled");

    expect(types()).toEqual(["payment.link_created"]);
    expect(provider.refunds).toEqual([{ providerReference: payment.providerReference, amount: 2150 }]);
    const stored = await repository.get(payment.id);
    expect(stored).toMatchObject({ status: "REFUNDED", refundReference: `re_${payment.providerReference}` });
    expect(stored?.failureReason).toMatch(/paid after the order was cancelled/);
  });

  it("refunds money reported after the payment failed, publishing no payment.succeeded", async () => {
    const { app, provider, repository, types } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    await app.recordPaymentFailed.execute({ paymentId: payment.id }, "checkout expired");

    expect(await app.recordPaymentSucceeded.execute({ orderId: payment.orderId })).toBe("refunded");
    expect(await app.recordPaymentSucceeded.execute({ orderId: payment.orderId })).toBe("already-settled");

    expect(types()).toEqual(["payment.link_created", "payment.failed"]);
    expect(provider.refunds).toEqual([{ providerReference: payment.providerReference, amount: 2150 }]);
    const stored = await repository.get(payment.id);
    expect(stored).toMatchObject({ status: "REFUNDED", failureReason: "paid after the order was cancelled (checkout expired)" });
  });

  it("refunds a payment that succeeded just before order.cancelled (the race at the deadline), once", async () => {
    const { app, provider, repository } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    await app.recordPaymentSucceeded.execute({ paymentId: payment.id });

    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" })).toBe("refunded");
    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" })).toBe("unchanged");

    expect(provider.refunds).toHaveLength(1);
    expect(provider.expired).toEqual([]);
    expect((await repository.get(payment.id))?.status).toBe("REFUNDED");
  });

  it("remembers a cancellation that overtook order.created, so no checkout is opened later", async () => {
    const { app, provider, types } = makePaymentApp();
    const order = orderCreated();

    expect(await app.closeCheckout.execute({ orderId: order.orderId, reason: "" })).toBe("cancelled");
    const payment = await app.openCheckout.execute(order);

    expect(payment.status).toBe("CANCELLED");
    expect(provider.opened).toEqual([]);
    expect(types()).toEqual([]);
  });

  it("gives each payment its own random checkout token and finds it by that token only", async () => {
    const { app } = makePaymentApp();
    const payments = await Promise.all(Array.from({ length: 20 }, () => app.openCheckout.execute(orderCreated())));
    const tokens = payments.map((payment) => payment.checkoutToken);

    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await app.getPayment.execute({ checkoutToken: tokens[3]! })).id).toBe(payments[3]!.id);
    for (const wrong of [payments[3]!.id, `${tokens[3]!.slice(0, 21)}A`, "", tokens[3]!.toLowerCase()]) {
      if (wrong === tokens[3]) continue;
      await expect(app.getPayment.execute({ checkoutToken: wrong })).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("order.paid makes a succeeded payment final; duplicates and strays change nothing", async () => {
    const { app, repository } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    expect(await app.recordOrderPaid.execute({ orderId: payment.orderId })).toBe("unchanged");
    await app.recordPaymentSucceeded.execute({ paymentId: payment.id });

    expect(await app.recordOrderPaid.execute({ orderId: payment.orderId })).toBe("accepted");
    expect(await app.recordOrderPaid.execute({ orderId: payment.orderId })).toBe("unchanged");
    expect(await app.recordOrderPaid.execute({ orderId: newId() })).toBe("unknown-order");
    expect((await repository.get(payment.id))?.orderAccepted).toBe(true);
  });

  it("GetPayment: NotFoundError for an unknown order or payment", async () => {
    const { app } = makePaymentApp();
    await expect(app.getPayment.execute({ orderId: newId() })).rejects.toBeInstanceOf(NotFoundError);
    await expect(app.recordPaymentSucceeded.execute({ paymentId: newId() })).rejects.toBeInstanceOf(NotFoundError);
  });
});
