import type { Db, Filter } from "mongodb";
import { MongoAggregates, type AggregateDocument, type NamedIndex } from "@oms/platform/storage";
import { Ticket, type TicketClaim, type TicketSnapshot } from "../domain/ticket.js";
import { DuplicateTicketError, type ListTicketsQuery, type TicketPage, type TicketRepository } from "../domain/ticket-repository.js";

/** Indexes the kitchen's queries need (the kit adds the outbox's). */
const ticketIndexes: NamedIndex[] = [
  { name: "order_unique", key: { orderId: 1 }, unique: true },
  // Ids are ULIDs: `_id` ascending is oldest first, the order cooks take tickets in. The lease
  // last, so a claim's takeover branch (COOKING, lease run out) is equality, sort, then range.
  // It replaces status_oldest_first { status, _id }, its prefix: drop that one where it exists.
  { name: "status_oldest_first_lease", key: { status: 1, _id: 1, "claim.leaseUntil": 1 } },
];

/**
 * Tickets in MongoDB (FerretDB in tests), on platform storage's aggregate
 * kit: one document per ticket with its outbox inside. A claim is a
 * compare-and-set on the version of the oldest claimable ticket, so two
 * cooks, in any number of kitchens, never take the same one; tickets and
 * their COOKING claims survive a restart.
 */
export class MongoTicketRepository extends MongoAggregates<Ticket, TicketSnapshot> implements TicketRepository {
  static readonly indexes = ticketIndexes;

  constructor(db: Db) {
    super(db, "tickets", Ticket, { unique: { field: "orderId", duplicate: (ticket) => new DuplicateTicketError(ticket) }, orderIdOf: (ticket) => ticket.orderId });
  }

  findByOrderId(orderId: string): Promise<Ticket | undefined> {
    return this.findOne({ orderId });
  }

  /** A range on `_id` sorted by `_id`: status_oldest_first_lease serves it with a status, the `_id` index without. */
  async list(query: ListTicketsQuery): Promise<TicketPage> {
    const filter: Filter<AggregateDocument<TicketSnapshot>> = {};
    if (query.status !== undefined) filter.status = query.status;
    if (query.afterId !== undefined) filter._id = { $gt: query.afterId };
    // One more than asked tells whether there is a next page.
    const found = await this.find(filter, { sort: { _id: 1 }, limit: query.limit + 1 });
    const tickets = found.slice(0, query.limit);
    return { tickets, nextAfterId: found.length > query.limit ? tickets.at(-1)?.id : undefined };
  }

  listOpen(): Promise<Ticket[]> {
    return this.find({ status: { $in: ["QUEUED", "COOKING"] } }, { sort: { _id: 1 } });
  }

  /** Walks the status index backwards, so it reads `limit` documents however many tickets were ever made. */
  newestReady(limit: number): Promise<Ticket[]> {
    return this.find({ status: "READY" }, { sort: { _id: -1 }, limit });
  }

  /** The oldest claimable ticket; a lost race reloads, finding the next one (the filter no longer matches the taken ticket). */
  claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined> {
    const claimable: Filter<AggregateDocument<TicketSnapshot>> = { $or: [{ status: "QUEUED" }, { status: "COOKING", "claim.leaseUntil": { $lte: now } }] };
    return this.updateWhere(claimable, (ticket) => ticket.start(claim, now), { sort: { _id: 1 } });
  }
}
