import { ValidationError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { Ticket, type TicketLine } from "../domain/ticket.js";
import { DuplicateTicketError, type TicketRepository } from "../domain/ticket-repository.js";
import type { Clock } from "./ports.js";

/**
 * order.paid: the order becomes a QUEUED ticket. Idempotent by order id: a
 * redelivered (or concurrent) event finds the stored ticket and changes nothing.
 */
export class OpenTicket {
  constructor(private readonly deps: { repository: TicketRepository; clock: Clock; onQueued?: () => void }) {}

  /** The order's ticket, new or as it was. */
  async execute(command: { orderId: string; lines: TicketLine[] }): Promise<Ticket> {
    if (command.orderId === "") throw new ValidationError("order_id", "must not be empty");
    const existing = await this.deps.repository.findByOrderId(command.orderId);
    if (existing) return existing;
    // Stored in the order.paid delivery: the cooks' events continue its trace (platform storage keeps it).
    const ticket = Ticket.open({ id: newId(), orderId: command.orderId, lines: command.lines, now: this.deps.clock() });
    try {
      await this.deps.repository.create(ticket);
    } catch (error) {
      if (error instanceof DuplicateTicketError) return error.existing;
      throw error;
    }
    // Wake an idle cook now rather than at its next look.
    this.deps.onQueued?.();
    return ticket;
  }
}
