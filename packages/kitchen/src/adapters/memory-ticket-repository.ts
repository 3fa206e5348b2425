import { Ticket, type TicketClaim, type TicketSnapshot, type TicketStatus } from "../domain/ticket.js";
import type { TicketEvent } from "../domain/ticket-events.js";
import { DuplicateTicketError, type TicketRepository } from "../domain/ticket-repository.js";

/**
 * Tickets in a Map of snapshots (the embedded mode and tests). Snapshots are
 * copied in and out; each method runs without an await inside, so it is
 * atomic in one process (claimNext included).
 */
export class MemoryTicketRepository implements TicketRepository {
  private readonly tickets = new Map<string, TicketSnapshot>();
  private readonly byOrderId = new Map<string, string>();

  async create(ticket: Ticket): Promise<void> {
    const existingId = this.byOrderId.get(ticket.orderId);
    if (existingId !== undefined) throw new DuplicateTicketError(Ticket.fromSnapshot(this.tickets.get(existingId)!));
    if (this.tickets.has(ticket.id)) throw new Error(`ticket ${ticket.id} exists`);
    this.tickets.set(ticket.id, ticket.toSnapshot());
    this.byOrderId.set(ticket.orderId, ticket.id);
  }

  async findByOrderId(orderId: string): Promise<Ticket | undefined> {
    const id = this.byOrderId.get(orderId);
    const snapshot = id === undefined ? undefined : this.tickets.get(id);
    return snapshot && Ticket.fromSnapshot(snapshot);
  }

  async list(status?: TicketStatus): Promise<Ticket[]> {
    return this.oldestFirst()
      .filter((ticket) => status === undefined || ticket.status === status)
      .map((snapshot) => Ticket.fromSnapshot(snapshot));
  }

  async claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined> {
    // Only unfinished tickets are sorted and copied: sorting and cloning every
    // ticket ever stored made each claim grow with history (bench/PROFILE.md).
    const waiting = [...this.tickets.values()].filter((snapshot) => snapshot.status !== "READY").sort(byId);
    const next = waiting.map((snapshot) => Ticket.fromSnapshot(snapshot)).find((ticket) => ticket.isClaimable(now));
    if (!next) return undefined;
    next.start(claim, now);
    this.tickets.set(next.id, next.toSnapshot());
    return next;
  }

  async update(id: string, change: (ticket: Ticket) => void): Promise<Ticket | undefined> {
    const snapshot = this.tickets.get(id);
    if (!snapshot) return undefined;
    const ticket = Ticket.fromSnapshot(snapshot);
    change(ticket);
    if (ticket.version !== snapshot.version) this.tickets.set(id, ticket.toSnapshot());
    return Ticket.fromSnapshot(this.tickets.get(id)!);
  }

  async pendingOutbox(limit: number): Promise<Array<{ ticketId: string; events: TicketEvent[] }>> {
    return [...this.tickets.values()]
      .filter((ticket) => ticket.outbox.length > 0)
      .sort((a, b) => a.outbox[0]!.time.getTime() - b.outbox[0]!.time.getTime())
      .slice(0, limit)
      .map((ticket) => ({ ticketId: ticket.id, events: structuredClone(ticket.outbox) }));
  }

  async markPublished(ticketId: string, eventIds: readonly string[]): Promise<void> {
    const snapshot = this.tickets.get(ticketId);
    if (!snapshot) return;
    snapshot.outbox = snapshot.outbox.filter((event) => !eventIds.includes(event.id));
  }

  private oldestFirst(): TicketSnapshot[] {
    return [...this.tickets.values()].sort(byId);
  }
}

/** Ids are ULIDs: by id is by creation time. */
function byId(a: TicketSnapshot, b: TicketSnapshot): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
