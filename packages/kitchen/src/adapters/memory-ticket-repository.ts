import { MemoryAggregates } from "@oms/platform/storage";
import { Ticket, type TicketClaim, type TicketSnapshot, type TicketStatus } from "../domain/ticket.js";
import { DuplicateTicketError, type ListTicketsQuery, type TicketPage, type TicketRepository } from "../domain/ticket-repository.js";

/**
 * Tickets in memory (the embedded mode and tests), on platform storage's
 * aggregate kit: updates, the outbox and trace context come from there; the
 * kitchen's own queries are here. claimNext finds and starts a ticket
 * without an await in between, so it is atomic in one process.
 */
export class MemoryTicketRepository extends MemoryAggregates<Ticket, TicketSnapshot> implements TicketRepository {
  constructor() {
    super(Ticket, {
      unique: { field: "orderId", duplicate: (ticket) => new DuplicateTicketError(ticket) },
      orderIdOf: (ticket) => ticket.orderId,
      indexes: { status: (ticket) => ticket.status },
    });
  }

  findByOrderId(orderId: string): Promise<Ticket | undefined> {
    return this.findUnique("orderId", orderId);
  }

  async list(query: ListTicketsQuery): Promise<TicketPage> {
    const filedUnder = query.status === undefined ? undefined : { index: "status", key: query.status };
    // One more than the page: whether there is a next page.
    const found = this.oldest(query.limit + 1, undefined, query.afterId, filedUnder);
    const tickets = found.slice(0, query.limit);
    return { tickets, nextAfterId: found.length > query.limit ? tickets.at(-1)?.id : undefined };
  }

  async listOpen(): Promise<Ticket[]> {
    return this.findIn("status", openStatuses, undefined, byId);
  }

  async newestReady(limit: number): Promise<Ticket[]> {
    return this.newest(limit, (ticket) => ticket.status === "READY");
  }

  async claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined> {
    // Only unfinished tickets are read, through the status index, and only the one taken is copied:
    // a claim costs what is in the kitchen, not its history.
    const [next] = this.findIn("status", openStatuses, (ticket) => Ticket.claimable(ticket, now), byId, 1);
    return next && this.update(next.id, (ticket) => ticket.start(claim, now));
  }
}

const openStatuses: readonly TicketStatus[] = ["QUEUED", "COOKING"];

/** Ids are ULIDs: by id is by creation time. */
function byId(a: TicketSnapshot, b: TicketSnapshot): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
