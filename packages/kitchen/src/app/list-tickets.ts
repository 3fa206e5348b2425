import { idPageTokens } from "@oms/platform/ids";
import type { Ticket, TicketStatus } from "../domain/ticket.js";
import type { TicketRepository } from "../domain/ticket-repository.js";

export interface ListTicketsInput {
  /** Only tickets in this status; any when undefined. */
  status?: TicketStatus;
  /** 1 to 100 (the contract's bound); 20 when zero. */
  pageSize: number;
  /** Empty for the first page, else a `nextPageToken` from before. */
  pageToken: string;
}

export interface ListTicketsResult {
  tickets: Ticket[];
  /** Empty on the last page. */
  nextPageToken: string;
}

const defaultPageSize = 20;
/** Opaque to callers: they pass it back unchanged, so its form may change. */
const pageTokens = idPageTokens("tickets-after:");

/** ListTickets: oldest first, a page at a time, with opaque page tokens; a page costs what it returns, not every ticket ever made. */
export class ListTickets {
  constructor(private readonly repository: Pick<TicketRepository, "list">) {}

  async execute(input: ListTicketsInput): Promise<ListTicketsResult> {
    const limit = input.pageSize === 0 ? defaultPageSize : input.pageSize;
    const afterId = input.pageToken === "" ? undefined : pageTokens.read(input.pageToken);
    const page = await this.repository.list({ status: input.status, limit, afterId });
    return { tickets: page.tickets, nextPageToken: page.nextAfterId ? pageTokens.make(page.nextAfterId) : "" };
  }
}
