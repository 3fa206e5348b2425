import type { Collection, Db } from "mongodb";
import { isDuplicateKeyError } from "@oms/platform/storage";
import type { ProcessedStripeEvents } from "./stripe-webhook.js";

/**
 * Stripe event ids already applied, in MongoDB, so a webhook redelivered
 * after a restart (or to another instance) is recognised. The use cases are
 * idempotent by payment state anyway; this spares them the work.
 */
export class MongoProcessedStripeEvents implements ProcessedStripeEvents {
  private readonly events: Collection<{ _id: string; time: Date }>;

  constructor(db: Db) {
    this.events = db.collection("processed_stripe_events");
  }

  async has(eventId: string): Promise<boolean> {
    return (await this.events.countDocuments({ _id: eventId }, { limit: 1 })) > 0;
  }

  async add(eventId: string): Promise<void> {
    try {
      await this.events.insertOne({ _id: eventId, time: new Date() });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}
