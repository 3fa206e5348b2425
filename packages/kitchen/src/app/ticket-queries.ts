import { NotFoundError } from "@oms/platform/errors";
import type { Ticket, TicketStatus } from "../domain/ticket.js";
import type { TicketRepository } from "../domain/ticket-repository.js";

/** ListTickets: oldest first, only those in `status` when given. */
export class ListTickets {
  constructor(private readonly repository: TicketRepository) {}

  execute(status?: TicketStatus): Promise<Ticket[]> {
    return this.repository.list(status);
  }
}

/** GetTicket: the ticket of an order; NOT_FOUND for an order without one (the contract refuses an empty id). */
export class GetTicket {
  constructor(private readonly repository: TicketRepository) {}

  async execute(orderId: string): Promise<Ticket> {
    const ticket = await this.repository.findByOrderId(orderId);
    if (!ticket) throw new NotFoundError("ticket for order", orderId, "order_id");
    return ticket;
  }
}
