import { setTimeout as sleep } from "node:timers/promises";
import { newId } from "@oms/platform/ids";
import type { Logger } from "@oms/platform/logging";
import type { Ticket } from "../domain/ticket.js";
import type { TicketRepository } from "../domain/ticket-repository.js";
import type { Clock, Publish } from "./ports.js";

export interface CooksOptions {
  repository: TicketRepository;
  /** Publishes the outbox after each claim and each finish (OutboxRelay.flush). */
  publish: Publish;
  /** How many simulated cooks work at once (KITCHEN_COOKS). */
  cooks: number;
  /** How long one ticket takes (KITCHEN_COOK_TIME); 0 for benchmarks. */
  cookTimeMs: number;
  /** Extra time each ticket takes right now (the kitchen_delay fault); read per ticket, so a change applies at once. */
  extraCookTimeMs?: () => number;
  /** This kitchen instance, stable across its restarts: its tickets left COOKING by a crash are resumed at start. */
  kitchenId: string;
  clock?: Clock;
  logger?: Logger;
  /**
   * How often one idle cook looks for work nobody woke the cooks for (a ticket handed back by a kitchen that
   * stopped, or whose lease ran out). Default 5 s: a ticket this instance queues wakes a cook at once.
   */
  pollIntervalMs?: number;
  /** How long past the cooking time a claim holds before another kitchen may take the ticket over. Default 30 s. */
  leaseMarginMs?: number;
}

/**
 * The simulated cooks. Each takes the oldest waiting ticket with the
 * repository's atomic claim (so no two cooks, in any number of kitchen
 * instances, cook one ticket), cooks it for the cooking time, and marks it
 * READY; started and ready are published through the outbox.
 *
 * Restarts: start() first puts this kitchen's tickets left COOKING by a crash
 * back in the queue (they are cooked again); a dead kitchen's tickets on
 * another instance are taken over once their lease ends. stop() does not
 * wait for the ticket in hand: each cook hands it back (COOKING -> QUEUED)
 * so any kitchen cooks it again at once; if even that save fails, the
 * restart or the lease brings it back.
 *
 * Idle cooks do not poll the database each: a queued ticket wakes one cook,
 * a cook that found a ticket wakes one more (so a backlog is cooked by all of
 * them), and one shared timer wakes one cook every poll interval for work
 * that arrives otherwise. An idle kitchen costs one query per interval.
 */
export class Cooks {
  private stopping: AbortController | undefined;
  private cooks: Promise<void>[] = [];
  private readonly idle = new Set<() => void>();
  private readonly clock: Clock;
  private poll: NodeJS.Timeout | undefined;

  constructor(private readonly options: CooksOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  /** Resumes what a crash left, then lets the cooks work. */
  async start(): Promise<void> {
    if (this.stopping) return;
    const stopping = (this.stopping = new AbortController());
    await this.resumeAfterCrash();
    this.cooks = Array.from({ length: this.options.cooks }, (_, index) => this.work(`cook-${index + 1}`, stopping.signal));
    this.poll = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 5_000);
    this.poll.unref();
  }

  /** Tells one idle cook that a ticket is waiting (its ring leaves the idle set as it rings). */
  wake(): void {
    const [ring] = this.idle;
    ring?.();
  }

  /** Stops every cook; tickets in hand go back to the queue. */
  async stop(): Promise<void> {
    clearInterval(this.poll);
    // Every idle cook listens to it.
    this.stopping?.abort();
    await Promise.all(this.cooks);
    this.cooks = [];
    this.stopping = undefined;
  }

  private async resumeAfterCrash(): Promise<void> {
    const { repository, kitchenId, logger } = this.options;
    const left = (await repository.listOpen()).filter((ticket) => ticket.status === "COOKING" && ticket.claim!.kitchenId === kitchenId);
    for (const ticket of left) await repository.update(ticket.id, (current) => current.requeue({ kitchenId }));
    if (left.length > 0) logger?.info({ tickets: left.length }, "tickets left cooking by the last run are queued again");
  }

  private async work(cook: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const claimId = newId();
        const now = this.clock();
        const leaseUntil = new Date(now.getTime() + this.cookTimeMs() + (this.options.leaseMarginMs ?? 30_000));
        const ticket = await this.options.repository.claimNext({ cook, kitchenId: this.options.kitchenId, claimId, leaseUntil }, now);
        if (!ticket) {
          await this.waitForWork(signal);
          continue;
        }
        // There may be more: the next idle cook looks too.
        this.wake();
        await this.options.publish();
        await this.cook(ticket, claimId, signal);
      } catch (error) {
        this.options.logger?.warn({ err: error, cook }, "cook could not work; trying again shortly");
        await pause(retryAfterFailureMs, signal);
      }
    }
  }

  private async cook(ticket: Ticket, claimId: string, signal: AbortSignal): Promise<void> {
    const { repository, logger } = this.options;
    if (!(await pause(this.cookTimeMs(), signal))) {
      await repository.update(ticket.id, (current) => current.requeue({ claimId }));
      logger?.info({ orderId: ticket.orderId }, "kitchen stopping: ticket handed back to the queue");
      return;
    }
    await repository.update(ticket.id, (current) => current.finish(claimId, this.clock()));
    await this.options.publish();
  }

  private cookTimeMs(): number {
    return this.options.cookTimeMs + (this.options.extraCookTimeMs?.() ?? 0);
  }

  /** Until woken: by a queued ticket, another cook, the poll timer or stop (`signal`). */
  private waitForWork(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const ring = () => {
        signal.removeEventListener("abort", ring);
        this.idle.delete(ring);
        resolve();
      };
      this.idle.add(ring);
      signal.addEventListener("abort", ring);
    });
  }
}

/** How long a cook waits after its storage failed before it tries again. */
const retryAfterFailureMs = 500;

/** Waits `ms`; resolves true when the time passed, false when `signal` aborted first (or already had). */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, true, { signal }).catch(() => false);
}
