import type { Money } from "./payment.js";

/**
 * What a payment decided, as plain data: appended to the payment's outbox in
 * the same save as the change, turned into protobuf envelopes by an
 * adapter (the domain knows no protobuf). `id` is fixed when raised, so a
 * re-publish after a crash carries the same id and consumers drop it.
 */
export type PaymentEvent = { id: string; time: Date } & (
  | { type: "payment.link_created"; orderId: string; paymentId: string; checkoutUrl: string }
  | { type: "payment.succeeded"; orderId: string; paymentId: string; amount: Money }
  | { type: "payment.failed"; orderId: string; paymentId: string; reason: string }
);
