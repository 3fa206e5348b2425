import { describe, expect, it } from "vitest";
import { ferretDbAvailable, useFerretDb } from "@oms/testkit/ferretdb";
import { MongoPaymentRepository } from "../src/adapters/mongo-payment-repository.js";
import { describePaymentRepositoryContract } from "./payment-repository.contract.js";
import { newPayment, now } from "./support/payment-fixtures.js";

describe.skipIf(!ferretDbAvailable())("MongoPaymentRepository on FerretDB", () => {
  const ferret = useFerretDb();
  // A fresh database per case: the contract expects an empty repository.
  describePaymentRepositoryContract("mongodb", async () => MongoPaymentRepository.open(await ferret.freshDatabase("payments")));

  it("keeps payments stored before checkout tokens existed working: the token index skips them", async () => {
    const db = await ferret.freshDatabase("payments");
    const repository = await MongoPaymentRepository.open(db);
    const legacy = [newPayment(), newPayment()];
    for (const payment of legacy) {
      const { id, checkoutToken: _dropped, orderAccepted: _unknown, ...fields } = payment.toSnapshot();
      await db.collection("payments").insertOne({ _id: id as never, ...fields });
    }

    for (const payment of legacy) {
      const updated = await repository.update(payment.id, (current) => current.attachCheckout(`ref_${payment.id}`, "http://pay.test/old", now));
      expect([updated?.hasCheckout, updated?.checkoutToken, updated?.orderAccepted]).toEqual([true, "", false]);
    }
    expect(await repository.findByCheckoutToken("")).toBeUndefined();
  });

  it("serves every query it sent from an index its adapter declares", () => {
    expect(ferret.unservedQueries()).toEqual([]);
  });
});
