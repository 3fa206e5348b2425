import type { Ticket, TicketClaim } from "../domain/ticket.js";
import type { ListTicketsQuery, TicketPage, TicketRepository } from "../domain/ticket-repository.js";

/**
 * Tells the kitchen displays of this instance that one of its tickets
 * changed, so they read the list again at once instead of on a timer. A
 * count rather than a bare signal: a display notes it before it reads, so a
 * change made while it reads still wakes it afterwards.
 */
export class TicketChanges {
  private count = 0;
  private readonly waiting = new Set<() => void>();

  /** How many changes this instance made so far. */
  get seen(): number {
    return this.count;
  }

  /** A ticket changed: every waiting display wakes (each reads once, however many changes came together). */
  changed(): void {
    this.count++;
    for (const wake of this.waiting) wake();
    this.waiting.clear();
  }

  /** Resolves at once if there were changes after `seen`; else at the next change, after `timeoutMs`, or when `signal` aborts. */
  after(seen: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (this.count !== seen || signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", wake);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      this.waiting.add(wake);
      signal.addEventListener("abort", wake);
    });
  }
}

/**
 * The repository as the use cases see it, announcing each write to
 * `changes` once it is stored: whatever this instance changes (a ticket
 * opened, claimed, finished, handed back) wakes its displays.
 */
export class AnnouncedTicketRepository implements TicketRepository {
  constructor(
    private readonly repository: TicketRepository,
    private readonly changes: TicketChanges,
  ) {}

  async create(ticket: Ticket): Promise<void> {
    await this.repository.create(ticket);
    this.changes.changed();
  }

  async update(id: string, change: (ticket: Ticket) => void): Promise<Ticket | undefined> {
    const updated = await this.repository.update(id, change);
    if (updated) this.changes.changed();
    return updated;
  }

  async claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined> {
    const claimed = await this.repository.claimNext(claim, now);
    if (claimed) this.changes.changed();
    return claimed;
  }

  get(id: string): Promise<Ticket | undefined> {
    return this.repository.get(id);
  }

  findByOrderId(orderId: string): Promise<Ticket | undefined> {
    return this.repository.findByOrderId(orderId);
  }

  list(query: ListTicketsQuery): Promise<TicketPage> {
    return this.repository.list(query);
  }

  listOpen(): Promise<Ticket[]> {
    return this.repository.listOpen();
  }

  newestReady(limit: number): Promise<Ticket[]> {
    return this.repository.newestReady(limit);
  }
}
