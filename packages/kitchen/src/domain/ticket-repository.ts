import { DuplicateAggregateError, type AggregateRepository } from "@oms/platform/aggregate";
import type { Ticket, TicketClaim, TicketStatus } from "./ticket.js";

/** Raised by `create` when the order already has a ticket; carries that ticket. */
export class DuplicateTicketError extends DuplicateAggregateError<Ticket> {
  constructor(existing: Ticket) {
    super(existing, `order ${existing.orderId} already has ticket ${existing.id}`);
  }
}

/** One page of ListTickets: oldest first, only `status` when given, after `afterId` when given. */
export interface ListTicketsQuery {
  status?: TicketStatus;
  limit: number;
  /** The page starts at the first ticket made after this one. */
  afterId?: string;
}

export interface TicketPage {
  tickets: Ticket[];
  /** The last ticket of this page when there are more, else undefined. */
  nextAfterId?: string;
}

/**
 * Where tickets live, one per paid order: `create` throws DuplicateTicketError
 * for a second ticket of an order. Adapters: memory (embedded mode, tests) and
 * MongoDB, both on platform storage's aggregate kit (which gives create, get,
 * update and the outbox) and held to test/ticket-repository.contract.ts.
 */
export interface TicketRepository extends AggregateRepository<Ticket> {
  /** The ticket of this order, or undefined. */
  findByOrderId(orderId: string): Promise<Ticket | undefined>;
  /** Tickets oldest first, one page at a time: costs the page, not the history. */
  list(query: ListTicketsQuery): Promise<TicketPage>;
  /** Every QUEUED and COOKING ticket, oldest first: the kitchen's working list, however many were made before. */
  listOpen(): Promise<Ticket[]>;
  /** The `limit` READY tickets made last, newest first (the kitchen display's recent column). */
  newestReady(limit: number): Promise<Ticket[]>;
  /**
   * The one conditional update that gives a ticket to a cook: the oldest
   * ticket that is QUEUED (or COOKING with a lease ended before `now`)
   * becomes COOKING under `claim`, with `kitchen.ticket_started` in its
   * outbox. Two cooks, in any number of kitchens, never get the same ticket.
   * Undefined when nothing is waiting.
   */
  claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined>;
}
