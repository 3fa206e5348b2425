import type { OutboxSource } from "@oms/platform/events";
import type { AggregateStorage } from "@oms/platform/storage";
import type { TicketEvent } from "../domain/ticket-events.js";
import type { TicketRepository } from "../domain/ticket-repository.js";
import { MemoryTicketRepository } from "./memory-ticket-repository.js";
import { MongoTicketRepository } from "./mongo-ticket-repository.js";
import { ticketEventBody } from "./ticket-event-bodies.js";

/** What both ticket adapters are: the domain's repository, and the outbox the relay reads. */
export type StoredTickets = TicketRepository & OutboxSource<TicketEvent>;

/** How the kitchen stores tickets (MongoDB or memory) and publishes their events. */
export const ticketStorage: AggregateStorage<StoredTickets, TicketEvent> = {
  mongo: (db) => MongoTicketRepository.open(db),
  memory: () => new MemoryTicketRepository(),
  eventBody: ticketEventBody,
};
