import { NotFoundError } from "@oms/platform/errors";
import type { Ticket } from "../domain/ticket.js";
import type { TicketRepository } from "../domain/ticket-repository.js";

/** GetTicket: the ticket of an order; NOT_FOUND for an order without one (the contract refuses an empty id). */
export class GetTicket {
  constructor(private readonly repository: TicketRepository) {}

  async execute(orderId: string): Promise<Ticket> {
    const ticket = await this.repository.findByOrderId(orderId);
    if (!ticket) throw new NotFoundError("ticket for order", orderId, "order_id");
    return ticket;
  }
}
