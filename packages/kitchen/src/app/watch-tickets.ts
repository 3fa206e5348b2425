import { LimitError } from "@oms/platform/errors";
import type { Ticket } from "../domain/ticket.js";
import type { TicketRepository } from "../domain/ticket-repository.js";
import { TicketChanges } from "./ticket-changes.js";

export interface WatchTicketsDeps {
  repository: Pick<TicketRepository, "listOpen" | "newestReady">;
  /** What this instance changes (through AnnouncedTicketRepository): each change wakes the displays. None when not given. */
  changes?: TicketChanges;
  /**
   * How often a display reads the list again with no change announced. Default 5 s: another kitchen instance's
   * changes are not announced here (the bus gives each kitchen event to one instance of the shared queue, not to
   * all), so this bounds how late they show; this instance's own changes show at once.
   */
  rereadIntervalMs?: number;
  /** Least time between two reads of one display. Default 100 ms: a busy kitchen's changes come together in one read, at most 10 a second per display. */
  minReadGapMs?: number;
  /** Kitchen screens one instance serves at once; one more is RESOURCE_EXHAUSTED. Default 64. */
  maxWatchers?: number;
}

/** READY tickets a display gets when it asks for none (0), and the most it may ask for. */
const defaultReadyLimit = 10;

/**
 * WatchTickets: the kitchen's working list (every QUEUED and COOKING ticket,
 * oldest first, then the newest READY ones), sent at once and again each time
 * it changes, until `signal` aborts. A display reads when this instance
 * changed a ticket and otherwise every few seconds (for the other
 * instances' changes); an unchanged list is not sent again. Each read costs
 * the working list and the READY ones shown, not the kitchen's history.
 */
export class WatchTickets {
  private watchers = 0;
  private readonly changes: TicketChanges;

  constructor(private readonly deps: WatchTicketsDeps) {
    this.changes = deps.changes ?? new TicketChanges();
  }

  async *execute(readyLimit: number, signal: AbortSignal): AsyncGenerator<Ticket[]> {
    const limit = readyLimitOrDefault(readyLimit);
    const maxWatchers = this.deps.maxWatchers ?? 64;
    if (this.watchers >= maxWatchers) throw new LimitError(`too many kitchen displays are open (${maxWatchers}); try again later`);
    this.watchers++;
    try {
      let last: string | undefined;
      while (!signal.aborted) {
        // Noted before the read: a change made while it runs wakes the next wait at once.
        const seen = this.changes.seen;
        const tickets = await this.read(limit);
        const fingerprint = tickets.map((ticket) => `${ticket.id}@${ticket.version}`).join(",");
        if (fingerprint !== last) {
          last = fingerprint;
          yield tickets;
        }
        await this.changes.after(seen, this.deps.rereadIntervalMs ?? 5_000, signal);
        const gap = this.deps.minReadGapMs ?? 100;
        if (gap > 0) await pause(gap, signal);
      }
    } finally {
      this.watchers--;
    }
  }

  private async read(readyLimit: number): Promise<Ticket[]> {
    const [open, ready] = await Promise.all([this.deps.repository.listOpen(), this.deps.repository.newestReady(readyLimit)]);
    return [...open, ...ready];
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}

/** 0 means the default; the contract bounds the rest (at most 100). */
function readyLimitOrDefault(readyLimit: number): number {
  return readyLimit === 0 ? defaultReadyLimit : readyLimit;
}
