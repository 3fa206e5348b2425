import { describe } from "vitest";
import { ferretDbAvailable, useFerretDb } from "../../../test/infra/ferretdb.js";
import { MongoPaymentRepository } from "../src/adapters/mongo-payment-repository.js";
import { describePaymentRepositoryContract } from "./payment-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoPaymentRepository on FerretDB", () => {
  const ferret = useFerretDb();
  // A fresh database per case: the contract expects an empty repository.
  describePaymentRepositoryContract("mongodb", async () => MongoPaymentRepository.open(await ferret.freshDatabase("payments")));
});
