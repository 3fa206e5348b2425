import { describe, expect, it } from "vitest";
import { ferretDbAvailable, useFerretDb } from "@oms/testkit/ferretdb";
import { MongoTicketRepository } from "../src/adapters/mongo-ticket-repository.js";
import { describeTicketRepositoryContract } from "./ticket-repository.contract.js";

describe.skipIf(!ferretDbAvailable())("MongoTicketRepository on FerretDB", () => {
  const ferret = useFerretDb();
  // A fresh database per case: the contract expects an empty repository.
  describeTicketRepositoryContract("mongodb", async () => MongoTicketRepository.open(await ferret.freshDatabase("tickets")));

  it("serves every query it sent from an index its adapter declares", () => {
    expect(ferret.unservedQueries()).toEqual([]);
  });
});
