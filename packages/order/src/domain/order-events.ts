import type { Money } from "./money.js";
import type { OrderLine } from "./order.js";

/**
 * What the order decided, as plain data: the aggregate appends these to its
 * outbox in the same save as the change; an adapter turns them into protobuf
 * envelopes for the bus (the domain knows no protobuf). `id` is the event id
 * consumers deduplicate on, fixed when the event is raised so a re-publish
 * after a crash carries the same id.
 */
export type OrderEvent = { id: string; time: Date } & (
  | {
      type: "order.created";
      orderId: string;
      customerId: string;
      lines: OrderLine[];
      total: Money;
      paymentDeadline: Date;
    }
  | { type: "order.paid"; orderId: string; lines: OrderLine[]; total: Money }
  | { type: "order.cancelled"; orderId: string; reason: string }
  | { type: "order.completed"; orderId: string }
);

