import { copyState, VersionedAggregate } from "@oms/platform/aggregate";
import { PreconditionError } from "@oms/platform/errors";
import type { TicketEvent } from "./ticket-events.js";

export const ticketStatuses = ["QUEUED", "COOKING", "READY"] as const;

/** Where a ticket stands: QUEUED -> COOKING -> READY (and COOKING -> QUEUED when a cook hands it back). */
export type TicketStatus = (typeof ticketStatuses)[number];

/** One dish to cook. */
export interface TicketLine {
  name: string;
  quantity: number;
}

/** Who holds a COOKING ticket, and until when the hold counts. */
export interface TicketClaim {
  /** The cook's name, shown to people ("cook-1"). */
  cook: string;
  /** The kitchen instance the cook works in: on restart it resumes its own tickets at once. */
  kitchenId: string;
  /** Unique per claim: only the holder of this claim may finish the ticket. */
  claimId: string;
  /** After this, another cook may take the ticket over (its kitchen is presumed dead). */
  leaseUntil: Date;
}

/** Everything a ticket is, as stored. `version` grows by one with every change. */
export interface TicketSnapshot {
  id: string;
  orderId: string;
  status: TicketStatus;
  lines: TicketLine[];
  /** Set while COOKING and kept once READY. */
  claim: TicketClaim | undefined;
  createTime: Date;
  startTime: Date | undefined;
  readyTime: Date | undefined;
  version: number;
  /** Events decided but not yet confirmed by the bus, oldest first. */
  outbox: TicketEvent[];
}

/**
 * One paid order in the kitchen. Its status changes only through the
 * guarded methods below; what order must hear goes to the outbox.
 */
export class Ticket extends VersionedAggregate<TicketSnapshot> {
  /** A QUEUED ticket for a paid order. */
  static open(input: { id: string; orderId: string; lines: TicketLine[]; now: Date }): Ticket {
    if (input.lines.length === 0) throw new PreconditionError(`order ${input.orderId}: a ticket needs at least one line`);
    const bad = input.lines.find((line) => !Number.isSafeInteger(line.quantity) || line.quantity < 1);
    if (bad) throw new PreconditionError(`order ${input.orderId}: ${bad.name} has quantity ${bad.quantity}`);
    return new Ticket({
      id: input.id,
      orderId: input.orderId,
      status: "QUEUED",
      lines: input.lines.map((line) => ({ ...line })),
      claim: undefined,
      createTime: new Date(input.now),
      startTime: undefined,
      readyTime: undefined,
      version: 1,
      outbox: [],
    });
  }

  /** Rebuilds a ticket from storage. The snapshot is copied, unless `owned` says no one else holds it (the memory store hands over its own copy). */
  static fromSnapshot(snapshot: TicketSnapshot, owned = false): Ticket {
    return new Ticket(snapshot, owned);
  }

  get orderId(): string { return this.state.orderId; }
  get status(): TicketStatus { return this.state.status; }
  get lines(): TicketLine[] { return this.state.lines.map((line) => ({ ...line })); }
  get claim(): TicketClaim | undefined { return this.state.claim && copyState(this.state.claim); }
  get cook(): string { return this.state.claim?.cook ?? ""; }
  get createTime(): Date { return new Date(this.state.createTime); }
  get startTime(): Date | undefined { return this.state.startTime && new Date(this.state.startTime); }
  get readyTime(): Date | undefined { return this.state.readyTime && new Date(this.state.readyTime); }

  /** QUEUED, or COOKING under a lease that ran out (its kitchen stopped without handing it back). */
  isClaimable(now: Date): boolean {
    return Ticket.claimable(this.state, now);
  }

  /** isClaimable on a stored snapshot, so a store can pick the ticket to claim before it copies one. */
  static claimable(ticket: TicketSnapshot, now: Date): boolean {
    if (ticket.status === "QUEUED") return true;
    return ticket.status === "COOKING" && ticket.claim!.leaseUntil.getTime() <= now.getTime();
  }

  /** A cook takes it: QUEUED (or an abandoned COOKING) -> COOKING, raising `kitchen.ticket_started`. */
  start(claim: TicketClaim, now: Date): void {
    if (!this.isClaimable(now)) throw new PreconditionError(`ticket ${this.id} is ${this.state.status}, held by ${this.cook}; cannot be taken`);
    this.state.status = "COOKING";
    this.state.claim = copyState(claim);
    this.state.startTime = new Date(now);
    this.touch();
    this.raise(now, { type: "kitchen.ticket_started", orderId: this.orderId, ticketId: this.id, cook: claim.cook });
  }

  /** The holder of `claimId` finished: COOKING -> READY, raising `kitchen.ticket_ready`. */
  finish(claimId: string, now: Date): void {
    this.requireHeldBy(claimId, "be finished");
    this.state.status = "READY";
    this.state.readyTime = new Date(now);
    this.touch();
    this.raise(now, { type: "kitchen.ticket_ready", orderId: this.orderId, ticketId: this.id });
  }

  /**
   * COOKING -> QUEUED, to be cooked again from the start: the holder stops
   * (`claimId` given) or its kitchen restarts after a crash (`kitchenId` given).
   */
  requeue(holder: { claimId: string } | { kitchenId: string }): void {
    if ("claimId" in holder) this.requireHeldBy(holder.claimId, "be handed back");
    else if (this.state.status !== "COOKING" || this.state.claim!.kitchenId !== holder.kitchenId) {
      throw new PreconditionError(`ticket ${this.id} is not cooking in kitchen ${holder.kitchenId}`);
    }
    this.state.status = "QUEUED";
    this.state.claim = undefined;
    this.state.startTime = undefined;
    this.touch();
  }

  private requireHeldBy(claimId: string, verb: string): void {
    if (this.state.status !== "COOKING" || this.state.claim!.claimId !== claimId) {
      throw new PreconditionError(`ticket ${this.id} is ${this.state.status}${this.cook ? ` (${this.cook})` : ""}; cannot ${verb} by this cook`);
    }
  }
}
