import type { Ticket, TicketClaim, TicketStatus } from "./ticket.js";

/** Raised by `create` when the order already has a ticket; carries that ticket. */
export class DuplicateTicketError extends Error {
  override readonly name = "DuplicateTicketError";
  constructor(readonly existing: Ticket) {
    super(`order ${existing.orderId} already has ticket ${existing.id}`);
  }
}

/**
 * Where tickets live, one per paid order. Adapters: memory (embedded mode,
 * tests) and MongoDB, both on platform storage's aggregate kit and held to
 * test/ticket-repository.contract.ts. Every change is one atomic
 * single-document write; the outbox travels inside the ticket document
 * (the relay reads it through the adapters, not through this port).
 */
export interface TicketRepository {
  /** Stores a new ticket; throws DuplicateTicketError when its order has one (atomically, also under races). */
  create(ticket: Ticket): Promise<void>;
  /** The ticket of this order, or undefined. */
  findByOrderId(orderId: string): Promise<Ticket | undefined>;
  /** Tickets oldest first, only those in `status` when given. */
  list(status?: TicketStatus): Promise<Ticket[]>;
  /**
   * The one conditional update that gives a ticket to a cook: the oldest
   * ticket that is QUEUED (or COOKING with a lease ended before `now`)
   * becomes COOKING under `claim`, with `kitchen.ticket_started` in its
   * outbox. Two cooks, in any number of kitchens, never get the same ticket.
   * Undefined when nothing is waiting.
   */
  claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined>;
  /**
   * Loads the ticket, applies `change` (a domain method; it may throw to
   * refuse, and then nothing is saved) and saves it if its version moved.
   * Returns the ticket as stored, or undefined when there is no such ticket.
   */
  update(id: string, change: (ticket: Ticket) => void): Promise<Ticket | undefined>;
}
