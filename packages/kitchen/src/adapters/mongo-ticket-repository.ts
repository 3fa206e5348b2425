import type { Collection, Db, Filter } from "mongodb";
import {
  ensureIndexes,
  fromVersionedDocument,
  insertUnique,
  pendingDomainEvents,
  pullPublishedEvents,
  updateVersioned,
  versionedUpdate,
  type IndexPlan,
  type VersionedDocument,
} from "@oms/platform/storage";
import { Ticket, type TicketClaim, type TicketSnapshot, type TicketStatus } from "../domain/ticket.js";
import type { TicketEvent } from "../domain/ticket-events.js";
import { DuplicateTicketError, type TicketRepository } from "../domain/ticket-repository.js";

type TicketDocument = VersionedDocument<TicketSnapshot>;

const collectionName = "tickets";

/** Indexes the queries need; fixed names, so a changed definition fails loudly. */
export const ticketIndexes: IndexPlan = {
  [collectionName]: [
    { name: "order_unique", key: { orderId: 1 }, unique: true },
    // Ids are ULIDs: `_id` ascending is oldest first, the order cooks take tickets in.
    { name: "status_oldest_first", key: { status: 1, _id: 1 } },
    { name: "outbox_pending_oldest_first", key: { "outbox.0.time": 1 }, sparse: true },
  ],
};

/**
 * Tickets in MongoDB (FerretDB in tests): one document per ticket with its
 * outbox inside. A claim is a compare-and-set on the version of the oldest
 * claimable ticket, so two cooks, in any number of kitchens, never take the
 * same one; tickets and their COOKING claims survive a restart.
 */
export class MongoTicketRepository implements TicketRepository {
  private readonly tickets: Collection<TicketDocument>;

  constructor(db: Db) {
    this.tickets = db.collection<TicketDocument>(collectionName);
  }

  static async open(db: Db): Promise<MongoTicketRepository> {
    await ensureIndexes(db, ticketIndexes);
    return new MongoTicketRepository(db);
  }

  async create(ticket: Ticket): Promise<void> {
    const existing = await insertUnique<TicketSnapshot>(this.tickets, ticket.toSnapshot(), { orderId: ticket.orderId });
    if (existing) throw new DuplicateTicketError(Ticket.fromSnapshot(existing));
  }

  async findByOrderId(orderId: string): Promise<Ticket | undefined> {
    const document = await this.tickets.findOne({ orderId });
    return document ? toTicket(document) : undefined;
  }

  async list(status?: TicketStatus): Promise<Ticket[]> {
    const documents = await this.tickets.find(status ? { status } : {}).sort({ _id: 1 }).toArray();
    return documents.map(toTicket);
  }

  async claimNext(claim: TicketClaim, now: Date): Promise<Ticket | undefined> {
    const claimable = { $or: [{ status: "QUEUED" }, { status: "COOKING", "claim.leaseUntil": { $lte: now } }] } as Filter<TicketDocument>;
    // Each round takes the oldest claimable ticket by compare-and-set on its version; losing a race means another cook got it: look again.
    for (;;) {
      const candidate = await this.tickets.find(claimable).sort({ _id: 1 }).limit(1).next();
      if (!candidate) return undefined;
      const before = fromVersionedDocument<TicketSnapshot>(candidate);
      const ticket = Ticket.fromSnapshot(before);
      if (!ticket.isClaimable(now)) return undefined;
      ticket.start(claim, now);
      const saved = await this.tickets.findOneAndUpdate({ _id: before.id, version: before.version }, versionedUpdate(before, ticket.toSnapshot()), {
        returnDocument: "after",
      });
      if (saved) return toTicket(saved);
    }
  }

  async update(id: string, change: (ticket: Ticket) => void): Promise<Ticket | undefined> {
    const saved = await updateVersioned<TicketSnapshot>(this.tickets, { _id: id }, (before) => {
      const ticket = Ticket.fromSnapshot(before);
      change(ticket);
      return ticket.toSnapshot();
    });
    return saved && Ticket.fromSnapshot(saved);
  }

  async pendingOutbox(limit: number): Promise<Array<{ ticketId: string; events: TicketEvent[] }>> {
    const pending = await pendingDomainEvents<TicketSnapshot>(this.tickets, limit);
    return pending.map(({ id, events }) => ({ ticketId: id, events }));
  }

  markPublished(ticketId: string, eventIds: readonly string[]): Promise<void> {
    return pullPublishedEvents<TicketSnapshot>(this.tickets, ticketId, eventIds);
  }
}

function toTicket(document: TicketDocument): Ticket {
  return Ticket.fromSnapshot(fromVersionedDocument<TicketSnapshot>(document));
}
