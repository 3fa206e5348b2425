import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { OrderCancelledSchema, OrderCompletedSchema, OrderCreatedSchema, OrderPaidSchema } from "@oms/contracts/events/v1/order_events";
import { PaymentFailedSchema, PaymentLinkCreatedSchema, PaymentSucceededSchema } from "@oms/contracts/events/v1/payment_events";
import { TicketReadySchema, TicketStartedSchema } from "@oms/contracts/events/v1/kitchen_events";

/** Every event type (routing key) and the protobuf message its body holds. */
export const eventCatalog = {
  "order.created": OrderCreatedSchema,
  "order.paid": OrderPaidSchema,
  "order.cancelled": OrderCancelledSchema,
  "order.completed": OrderCompletedSchema,
  "payment.link_created": PaymentLinkCreatedSchema,
  "payment.succeeded": PaymentSucceededSchema,
  "payment.failed": PaymentFailedSchema,
  "kitchen.ticket_started": TicketStartedSchema,
  "kitchen.ticket_ready": TicketReadySchema,
} as const satisfies Record<string, DescMessage>;

export type EventType = keyof typeof eventCatalog;

/** The decoded message of an event type, e.g. `EventOf<"order.paid">` is `OrderPaid`. */
export type EventOf<T extends EventType> = MessageShape<(typeof eventCatalog)[T]>;
