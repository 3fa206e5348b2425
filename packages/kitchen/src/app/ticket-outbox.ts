import { envelope, type EventEnvelope, type OutboxStore } from "@oms/platform/events";
import type { TicketEvent } from "../domain/ticket-events.js";
import type { TicketRepository } from "../domain/ticket-repository.js";

/**
 * The ticket repository's outbox as the platform's OutboxRelay reads it: plain
 * domain events become protobuf envelopes, keeping the id and time they were
 * raised with, so a re-publish is recognised as a duplicate.
 */
export class TicketOutboxStore implements OutboxStore {
  constructor(private readonly repository: TicketRepository) {}

  async pendingOutbox(limit: number): Promise<Array<{ aggregateId: string; events: EventEnvelope[] }>> {
    const pending = await this.repository.pendingOutbox(limit);
    return pending.map(({ ticketId, events }) => ({ aggregateId: ticketId, events: events.map(ticketEventEnvelope) }));
  }

  markPublished(aggregateId: string, eventIds: readonly string[]): Promise<void> {
    return this.repository.markPublished(aggregateId, eventIds);
  }
}

/** One ticket event as the envelope the bus carries. */
export function ticketEventEnvelope(event: TicketEvent): EventEnvelope {
  const body =
    event.type === "kitchen.ticket_started"
      ? envelope("kitchen.ticket_started", { orderId: event.orderId, ticketId: event.ticketId, cook: event.cook })
      : envelope("kitchen.ticket_ready", { orderId: event.orderId, ticketId: event.ticketId });
  return { ...body, id: event.id, time: new Date(event.time), headers: { ...body.headers, ...event.headers } };
}
