import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import type { StoredPayments } from "../src/adapters/payment-storage.js";
import { newCheckoutToken } from "../src/app/checkout-token.js";
import { DuplicatePaymentError } from "../src/domain/payment-repository.js";
import { newPayment, now } from "./support/payment-fixtures.js";

/** The behaviour every PaymentRepository adapter must show (memory and MongoDB). */
export function describePaymentRepositoryContract(name: string, makeRepository: () => Promise<StoredPayments> | StoredPayments): void {
  describe(`PaymentRepository contract: ${name}`, () => {
    it("stores a payment and finds it by id and by order id", async () => {
      const repository = await makeRepository();
      const payment = newPayment();
      await repository.create(payment);

      expect((await repository.get(payment.id))?.toSnapshot()).toEqual(payment.toSnapshot());
      expect((await repository.findByOrderId(payment.orderId))?.id).toBe(payment.id);
      expect(await repository.get(newId())).toBeUndefined();
      expect(await repository.findByOrderId(newId())).toBeUndefined();
    });

    it("finds a payment by its checkout token, and nothing by another token or by its id", async () => {
      const repository = await makeRepository();
      const payment = newPayment();
      await repository.create(newPayment());
      await repository.create(payment);
      await repository.update(payment.id, (current) => current.attachCheckout("ref_k", "http://pay.test/k", now));

      const found = await repository.findByCheckoutToken(payment.checkoutToken);
      expect(found?.id).toBe(payment.id);
      expect(found?.checkoutToken).toBe(payment.checkoutToken);
      expect(found?.orderAccepted).toBe(false);
      expect(await repository.findByCheckoutToken(newCheckoutToken())).toBeUndefined();
      expect(await repository.findByCheckoutToken(payment.id)).toBeUndefined();
    });

    it("keeps one payment per order, also when two are created at once", async () => {
      const repository = await makeRepository();
      const orderId = newId();
      const results = await Promise.allSettled([repository.create(newPayment(orderId)), repository.create(newPayment(orderId))]);

      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(DuplicatePaymentError);
      const { existing } = refused.reason as DuplicatePaymentError;
      expect(existing.orderId).toBe(orderId);
      expect((refused.reason as Error).message).toBe(`order ${orderId} already has payment ${existing.id}`);
    });

    it("updates through a closure, saving only a change, and saves nothing when the closure throws", async () => {
      const repository = await makeRepository();
      const payment = newPayment();
      await repository.create(payment);

      const changed = await repository.update(payment.id, (current) => current.attachCheckout("ref_1", "http://pay.test/c", now));
      expect(changed?.checkoutUrl).toBe("http://pay.test/c");
      expect((await repository.get(payment.id))?.version).toBe(payment.version + 1);

      await expect(repository.update(payment.id, (current) => current.refund("re", "x", now))).rejects.toThrow(/cannot be refunded/);
      expect((await repository.get(payment.id))?.status).toBe("AWAITING_CUSTOMER");
      expect(await repository.update(newId(), () => {})).toBeUndefined();
    });

    it("lists pending outbox events oldest first and forgets them once published", async () => {
      const repository = await makeRepository();
      const first = newPayment();
      const second = newPayment();
      await repository.create(first);
      await repository.create(second);
      await repository.update(first.id, (payment) => payment.attachCheckout("ref_1", "u1", new Date(now.getTime() + 1)));
      await repository.update(second.id, (payment) => payment.attachCheckout("ref_2", "u2", new Date(now.getTime() + 2)));

      const pending = await repository.pendingOutbox(10);
      expect(pending.map((entry) => entry.aggregateId)).toEqual([first.id, second.id]);
      expect(pending[0]!.events.map((event) => event.type)).toEqual(["payment.link_created"]);
      expect(await repository.pendingOutbox(1)).toHaveLength(1);

      await repository.markPublished(first.id, pending[0]!.events.map((event) => event.id));
      expect((await repository.pendingOutbox(10)).map((entry) => entry.aggregateId)).toEqual([second.id]);
      expect((await repository.get(first.id))?.outbox).toEqual([]);
    });
  });
}
