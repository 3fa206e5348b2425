import type { OutboxSource } from "@oms/platform/events";
import type { TicketEvent } from "../domain/ticket-events.js";
import type { TicketRepository } from "../domain/ticket-repository.js";

/** What both ticket adapters are: the domain's repository, and the outbox the relay reads. */
export type StoredTickets = TicketRepository & OutboxSource<TicketEvent>;
