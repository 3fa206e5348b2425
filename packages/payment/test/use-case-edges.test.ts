import { ValidationError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { createPaymentApp } from "../src/app/payment-app.js";
import type { PaymentRepository } from "../src/domain/payment-repository.js";
import { capturedLogger, makePaymentApp, newPayment, orderCreated } from "./support/payment-fixtures.js";

/** Runs `meanwhile` once, just before the next `method` call on `target`: what another delivery or request did in between. */
function before<T extends object>(target: T, method: keyof T, meanwhile: () => Promise<unknown>): void {
  const original = target[method];
  target[method] = (async (...args: unknown[]) => {
    target[method] = original;
    await meanwhile();
    return (original as (...args: unknown[]) => Promise<unknown>).apply(target, args);
  }) as T[keyof T];
}

/** What each use case does when another one changes the payment between its read and its save. */
describe("payment use cases racing each other", () => {
  it("refunds a payment made while its order's cancellation was expiring the checkout", async () => {
    const { app, provider, repository } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    before(provider, "expireCheckout", () => app.recordPaymentSucceeded.execute({ paymentId: payment.id }));

    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" })).toBe("refunded");
    expect(provider.refunds).toEqual([{ providerReference: payment.providerReference, amount: 2150 }]);
    expect(await repository.get(payment.id)).toMatchObject({ status: "REFUNDED", failureReason: "paid as the order was cancelled at its payment deadline" });
  });

  it("closes the checkout order.created opened while a cancellation that overtook it was being remembered", async () => {
    const { app, provider, repository } = makePaymentApp();
    const order = orderCreated();
    let opened = "";
    before(repository, "create", async () => (opened = (await app.openCheckout.execute(order)).providerReference));

    expect(await app.closeCheckout.execute({ orderId: order.orderId, reason: "" })).toBe("cancelled");
    expect(provider.expired).toEqual([opened]);
    expect(await repository.findByOrderId(order.orderId)).toMatchObject({ status: "CANCELLED", failureReason: "order cancelled" });
  });

  it("expires a checkout the provider opened for an order cancelled meanwhile, announcing no link", async () => {
    const { app, provider, types } = makePaymentApp();
    const order = orderCreated();
    before(provider, "openCheckout", () => app.closeCheckout.execute({ orderId: order.orderId, reason: "changed my mind" }));

    const payment = await app.openCheckout.execute(order);
    expect([payment.status, payment.hasCheckout]).toEqual(["CANCELLED", true]);
    expect(provider.expired).toEqual([payment.providerReference]);
    expect(types()).toEqual([]);
  });

  it("keeps a payment that succeeded while its failure was being recorded", async () => {
    const { app, repository, types } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    before(repository, "update", () => app.recordPaymentSucceeded.execute({ paymentId: payment.id }));

    expect(await app.recordPaymentFailed.execute({ paymentId: payment.id }, "checkout expired")).toBe("already-settled");
    expect((await repository.get(payment.id))?.status).toBe("SUCCEEDED");
    expect(types()).toEqual(["payment.link_created", "payment.succeeded"]);
  });

  it("reports a payment twice at once as paid once, refunding nothing", async () => {
    const { app, provider, repository, types } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    before(repository, "update", () => app.recordPaymentSucceeded.execute({ paymentId: payment.id }));

    expect(await app.recordPaymentSucceeded.execute({ paymentId: payment.id })).toBe("already-settled");
    expect(provider.refunds).toEqual([]);
    expect(types()).toEqual(["payment.link_created", "payment.succeeded"]);
  });

  it("refunds a payment whose order was cancelled between reading it and saving it as paid", async () => {
    const { app, provider, repository, types } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    before(repository, "update", () => app.closeCheckout.execute({ orderId: payment.orderId, reason: "payment deadline passed" }));

    expect(await app.recordPaymentSucceeded.execute({ paymentId: payment.id })).toBe("refunded");
    expect(provider.refunds).toHaveLength(1);
    expect(await repository.get(payment.id)).toMatchObject({ status: "REFUNDED", failureReason: "paid after the order was cancelled (payment deadline passed)" });
    expect(types()).toEqual(["payment.link_created"]);
  });
});

describe("payment use cases at their edges", () => {
  it("cancels a payment whose checkout never opened without asking the provider to expire one", async () => {
    const { app, provider, repository } = makePaymentApp();
    const payment = newPayment();
    await (repository as PaymentRepository).create(payment);

    expect(await app.closeCheckout.execute({ orderId: payment.orderId, reason: "changed my mind" })).toBe("cancelled");
    expect(provider.expired).toEqual([]);
    expect((await repository.get(payment.id))?.status).toBe("CANCELLED");
  });

  it("says so when money arrives for a payment that failed for no stated reason", async () => {
    const { app, repository } = makePaymentApp();
    const payment = await app.openCheckout.execute(orderCreated());
    await app.recordPaymentFailed.execute({ paymentId: payment.id }, "");

    expect(await app.recordPaymentSucceeded.execute({ paymentId: payment.id })).toBe("refunded");
    expect((await repository.get(payment.id))?.failureReason).toBe("paid after the order was cancelled (no reason given)");
  });

  it("refuses an order.created without an order id, naming the field", async () => {
    const { app, provider } = makePaymentApp();
    const error = await app.openCheckout.execute(orderCreated("")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe("order_id: must not be empty");
    expect(provider.opened).toEqual([]);
  });

  it("order.paid for a payment that did not succeed changes nothing and is logged as a stray; a duplicate is not", async () => {
    const { logger, lines } = capturedLogger();
    const { app, repository } = makePaymentApp("simulated", logger);
    const payment = await app.openCheckout.execute(orderCreated());
    await app.recordPaymentFailed.execute({ paymentId: payment.id }, "checkout expired");

    expect(await app.recordOrderPaid.execute({ orderId: payment.orderId })).toBe("unchanged");
    expect((await repository.get(payment.id))?.orderAccepted).toBe(false);
    expect(lines).toEqual([
      expect.objectContaining({ msg: "order.paid for a payment that did not succeed, ignored", orderId: payment.orderId, paymentId: payment.id, status: "FAILED" }),
    ]);

    const paid = await app.openCheckout.execute(orderCreated());
    await app.recordPaymentSucceeded.execute({ paymentId: paid.id });
    await app.recordOrderPaid.execute({ orderId: paid.orderId });
    expect(await app.recordOrderPaid.execute({ orderId: paid.orderId })).toBe("unchanged");
    expect(lines).toHaveLength(1);
  });

  it("names what it did not find, never a checkout token", async () => {
    const { app } = makePaymentApp();
    const [paymentId, orderId, token] = [newId(), newId(), "A".repeat(22)];
    await expect(app.getPayment.execute({ paymentId })).rejects.toThrow(`payment_id: payment "${paymentId}" not found`);
    await expect(app.getPayment.execute({ orderId })).rejects.toThrow(`order_id: payment for order "${orderId}" not found`);
    await expect(app.getPayment.execute({ checkoutToken: token })).rejects.toThrow('checkout "(token withheld)" not found');
  });

  it("passes a storage failure on, for the event to be retried, when storing a new payment fails", async () => {
    const { app, repository } = makePaymentApp();
    const down = new Error("database restarting");
    repository.create = () => Promise.reject(down);
    await expect(app.openCheckout.execute(orderCreated())).rejects.toBe(down);
    await expect(app.closeCheckout.execute({ orderId: newId(), reason: "too slow" })).rejects.toBe(down);
  });

  it("stamps payments with the time and a random checkout token when given no clock or token source", async () => {
    const { repository, provider } = makePaymentApp();
    const app = createPaymentApp({ repository, provider, providerName: "simulated", publish: () => Promise.resolve() });
    const before = Date.now();
    const payment = await app.openCheckout.execute(orderCreated());
    expect(payment.createTime.getTime()).toBeGreaterThanOrEqual(before);
    expect(payment.createTime.getTime()).toBeLessThanOrEqual(Date.now());
    expect(payment.checkoutToken).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
