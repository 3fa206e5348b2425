import { setTimeout as sleep } from "node:timers/promises";
import { LimitError } from "@oms/platform/errors";
import type { Ticket } from "../domain/ticket.js";
import type { TicketRepository } from "../domain/ticket-repository.js";

export interface WatchTicketsDeps {
  repository: Pick<TicketRepository, "list" | "newestReady">;
  /** How often the list is read again. Default 500 ms: a cook's claim shows within half a second, whichever kitchen instance made it. */
  pollIntervalMs?: number;
  /** Kitchen screens one instance serves at once; one more is RESOURCE_EXHAUSTED. Default 64. */
  maxWatchers?: number;
}

/** READY tickets a display gets when it asks for none (0), and the most it may ask for. */
const defaultReadyLimit = 10;

/**
 * WatchTickets: the kitchen's working list (every QUEUED and COOKING ticket,
 * oldest first, then the newest READY ones), sent at once and again each time
 * it changes, until `signal` aborts. It re-reads the repository rather than
 * listening to this instance's cooks, so changes any kitchen instance makes
 * show; an unchanged list is not sent again.
 */
export class WatchTickets {
  private watchers = 0;

  constructor(private readonly deps: WatchTicketsDeps) {}

  async *execute(readyLimit: number, signal: AbortSignal): AsyncGenerator<Ticket[]> {
    const limit = readyLimitOrDefault(readyLimit);
    const maxWatchers = this.deps.maxWatchers ?? 64;
    if (this.watchers >= maxWatchers) throw new LimitError(`too many kitchen displays are open (${maxWatchers}); try again later`);
    this.watchers++;
    try {
      let last: string | undefined;
      while (!signal.aborted) {
        const tickets = await this.read(limit);
        const fingerprint = tickets.map((ticket) => `${ticket.id}@${ticket.version}`).join(",");
        if (fingerprint !== last) {
          last = fingerprint;
          yield tickets;
        }
        await sleep(this.deps.pollIntervalMs ?? 500, undefined, { signal }).catch(() => undefined);
      }
    } finally {
      this.watchers--;
    }
  }

  private async read(readyLimit: number): Promise<Ticket[]> {
    const [queued, cooking, ready] = await Promise.all([
      this.deps.repository.list("QUEUED"),
      this.deps.repository.list("COOKING"),
      this.deps.repository.newestReady(readyLimit),
    ]);
    const open = [...queued, ...cooking].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return [...open, ...ready];
  }
}

/** 0 means the default; the contract bounds the rest (at most 100). */
function readyLimitOrDefault(readyLimit: number): number {
  return readyLimit === 0 ? defaultReadyLimit : readyLimit;
}
