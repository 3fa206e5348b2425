import type { OutboxSource } from "@oms/platform/events";
import type { PaymentEvent } from "../domain/payment-events.js";
import type { PaymentRepository } from "../domain/payment-repository.js";

/** What both payment adapters are: the domain's repository, and the outbox the relay reads. */
export type StoredPayments = PaymentRepository & OutboxSource<PaymentEvent>;
