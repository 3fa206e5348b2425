import type { Ticket, TicketStatus } from "../src/domain/ticket.js";
import type { TicketRepository } from "../src/domain/ticket-repository.js";

/** Every ticket (only `status` when given), oldest first, read page by page as ListTickets reads them. */
export async function allTickets(repository: Pick<TicketRepository, "list">, status?: TicketStatus): Promise<Ticket[]> {
  const tickets: Ticket[] = [];
  let afterId: string | undefined;
  do {
    const page = await repository.list({ status, limit: 100, afterId });
    tickets.push(...page.tickets);
    afterId = page.nextAfterId;
  } while (afterId);
  return tickets;
}
