import { envelope, type EventEnvelope } from "@oms/platform/events";
import type { TicketEvent } from "../domain/ticket-events.js";

/** One ticket event as the protobuf body the bus carries (the outbox store adds id, time and headers). */
export function ticketEventBody(event: TicketEvent): EventEnvelope {
  return event.type === "kitchen.ticket_started"
    ? envelope("kitchen.ticket_started", { orderId: event.orderId, ticketId: event.ticketId, cook: event.cook })
    : envelope("kitchen.ticket_ready", { orderId: event.orderId, ticketId: event.ticketId });
}
