import { ValidationError } from "@oms/platform/errors";
import { isId } from "@oms/platform/ids";
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
const tokenPrefix = "tickets-after:";

/** ListTickets: oldest first, a page at a time, with opaque page tokens; a page costs what it returns, not every ticket ever made. */
export class ListTickets {
  constructor(private readonly repository: Pick<TicketRepository, "list">) {}

  async execute(input: ListTicketsInput): Promise<ListTicketsResult> {
    const limit = input.pageSize === 0 ? defaultPageSize : input.pageSize;
    const afterId = input.pageToken === "" ? undefined : decodePageToken(input.pageToken);
    const page = await this.repository.list({ status: input.status, limit, afterId });
    return { tickets: page.tickets, nextPageToken: page.nextAfterId ? encodePageToken(page.nextAfterId) : "" };
  }
}

/** Opaque to callers: they pass it back unchanged, so its form may change. */
function encodePageToken(afterId: string): string {
  return Buffer.from(`${tokenPrefix}${afterId}`).toString("base64url");
}

/** Only the use case that issued a token can read it: the contract calls it opaque, so this check stays here. */
function decodePageToken(token: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url").toString() : "";
  const afterId = text.startsWith(tokenPrefix) ? text.slice(tokenPrefix.length) : "";
  if (!isId(afterId)) throw new ValidationError("page_token", "is not a page token this service issued");
  return afterId;
}
