import { describe, expect, it } from "vitest";
import { ferretDbAvailable, useFerretDb } from "@oms/testkit/ferretdb";
import { MongoProcessedStripeEvents } from "../src/adapters/mongo-processed-stripe-events.js";
import { MemoryProcessedStripeEvents, type ProcessedStripeEvents } from "../src/adapters/stripe-webhook.js";

/** What the webhook relies on from any ProcessedStripeEvents. */
function describeProcessedStripeEvents(name: string, make: () => Promise<ProcessedStripeEvents>): void {
  describe(`ProcessedStripeEvents: ${name}`, () => {
    it("knows an event id once it was added, and only that one; adding it again is fine", async () => {
      const processed = await make();
      expect(await processed.has("evt_1")).toBe(false);
      await processed.add("evt_1");
      await processed.add("evt_1");
      expect(await processed.has("evt_1")).toBe(true);
      expect(await processed.has("evt_2")).toBe(false);
    });
  });
}

describeProcessedStripeEvents("memory", async () => new MemoryProcessedStripeEvents());

describe.skipIf(!ferretDbAvailable())("MongoProcessedStripeEvents on FerretDB", () => {
  const ferret = useFerretDb();
  describeProcessedStripeEvents("mongodb", async () => new MongoProcessedStripeEvents(await ferret.freshDatabase("stripe_events")));

  it("remembers an event id across instances (a restart, another replica)", async () => {
    const db = await ferret.freshDatabase("stripe_events");
    await new MongoProcessedStripeEvents(db).add("evt_restart");
    expect(await new MongoProcessedStripeEvents(db).has("evt_restart")).toBe(true);
  });

  it("serves every query it sent from an index its adapter declares", () => {
    expect(ferret.unservedQueries()).toEqual([]);
  });
});
