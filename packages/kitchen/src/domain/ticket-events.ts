/**
 * What the kitchen decided, as plain data: appended to the ticket's outbox in
 * the same save as the change, turned into protobuf envelopes by an
 * adapter. `id` is fixed when raised, so a re-publish carries the same id.
 */
export type TicketEvent = { id: string; time: Date } & (
  | { type: "kitchen.ticket_started"; orderId: string; ticketId: string; cook: string }
  | { type: "kitchen.ticket_ready"; orderId: string; ticketId: string }
);
