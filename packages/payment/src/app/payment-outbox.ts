import { envelope, type EventEnvelope, type OutboxStore } from "@oms/platform/events";
import type { PaymentEvent } from "../domain/payment-events.js";
import type { PaymentRepository } from "../domain/payment-repository.js";
import { protoMoney } from "./proto-money.js";

/**
 * The payment repository's outbox as the platform's OutboxRelay reads it: the
 * domain's plain events become protobuf envelopes here, keeping the id and
 * time they were raised with, so a re-publish is recognised as a duplicate.
 */
export class PaymentOutboxStore implements OutboxStore {
  constructor(private readonly repository: PaymentRepository) {}

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: EventEnvelope[] }>> {
    const pending = await this.repository.pendingOutbox(limit);
    return pending.map(({ paymentId, events }) => ({ aggregateId: paymentId, events: events.map(paymentEventEnvelope) }));
  }

  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    return this.repository.markPublished(aggregateId, eventIds);
  }
}

/** One payment event as the envelope the bus carries. */
export function paymentEventEnvelope(event: PaymentEvent): EventEnvelope {
  const built = body(event);
  return { ...built, id: event.id, time: new Date(event.time), headers: { ...built.headers, ...event.headers } };
}

function body(event: PaymentEvent): EventEnvelope {
  switch (event.type) {
    case "payment.link_created":
      return envelope("payment.link_created", { orderId: event.orderId, paymentId: event.paymentId, checkoutUrl: event.checkoutUrl });
    case "payment.succeeded":
      return envelope("payment.succeeded", { orderId: event.orderId, paymentId: event.paymentId, amount: protoMoney(event.amount) });
    case "payment.failed":
      return envelope("payment.failed", { orderId: event.orderId, paymentId: event.paymentId, reason: event.reason });
  }
}
