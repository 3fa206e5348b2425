import type { OutboxSource } from "@oms/platform/events";
import type { AggregateStorage } from "@oms/platform/storage";
import type { PaymentEvent } from "../domain/payment-events.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { MemoryPaymentRepository } from "./memory-payment-repository.js";
import { MongoPaymentRepository } from "./mongo-payment-repository.js";
import { paymentEventBody } from "./payment-event-bodies.js";

/** What both payment adapters are: the domain's repository, and the outbox the relay reads. */
export type StoredPayments = PaymentRepository & OutboxSource<PaymentEvent>;

/** How the payment service stores payments (MongoDB or memory) and publishes their events. */
export const paymentStorage: AggregateStorage<StoredPayments, PaymentEvent> = {
  mongo: (db) => MongoPaymentRepository.open(db),
  memory: () => new MemoryPaymentRepository(),
  eventBody: paymentEventBody,
};
