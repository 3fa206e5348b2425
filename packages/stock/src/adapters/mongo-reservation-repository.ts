import { isDuplicateKeyError, type IndexPlan } from "@oms/platform/storage";
import type { Collection, Db } from "mongodb";
import { Reservation, type ReservationLine, type ReservationStatus } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";

/** One order's reservation as stored, keyed by order id. */
interface ReservationDocument {
  _id: string;
  lines: ReservationLine[];
  status: ReservationStatus;
  /** When the status last moved: finds claims left in RESERVING by a crash, and holds no order came for. */
  updatedAt: Date;
}

/** The collection reservations live in. */
export const reservationCollection = "stock_reservations";

/** Reservations by status and age, so stale claims and unconfirmed holds can be found without a collection scan. */
export const reservationIndexes: IndexPlan = {
  [reservationCollection]: [{ key: { status: 1, updatedAt: 1 }, name: "status_updatedAt" }],
};

/**
 * Reservations in MongoDB, one document per order (`_id` = order id).
 * `create` is an insert, so the unique `_id` makes exactly one of concurrent
 * claims win. `update` moves the status as a compare-and-set on the status
 * field: the write matches only if the status is still the one the change was
 * applied to, and retries on a fresh read otherwise. Statuses never return to
 * an earlier one (RESERVING -> HELD -> COMMITTED | RELEASED), so an unchanged
 * status means an unchanged reservation (lines never change after creation).
 */
export class MongoReservationRepository implements ReservationRepository {
  private readonly reservations: Collection<ReservationDocument>;

  constructor(db: Db) {
    this.reservations = db.collection<ReservationDocument>(reservationCollection);
  }

  async create(reservation: Reservation): Promise<{ reservation: Reservation; created: boolean }> {
    const { orderId, lines, status } = reservation.toSnapshot();
    try {
      await this.reservations.insertOne({ _id: orderId, lines, status, updatedAt: new Date() });
      return { reservation: Reservation.fromSnapshot(reservation.toSnapshot()), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const stored = await this.get(orderId);
    // Deleted between our insert and this read (an abandoned claim): the caller may simply retry.
    if (!stored) throw new Error(`reservation for order ${orderId} vanished while being claimed; retry`);
    return { reservation: stored, created: false };
  }

  async get(orderId: string): Promise<Reservation | undefined> {
    const document = await this.reservations.findOne({ _id: orderId });
    return document ? toReservation(document) : undefined;
  }

  async update(
    orderId: string,
    change: (reservation: Reservation) => boolean,
  ): Promise<{ reservation: Reservation; changed: boolean } | undefined> {
    for (;;) {
      const read = await this.reservations.findOne({ _id: orderId });
      if (!read) return undefined;
      const reservation = toReservation(read);
      if (!change(reservation)) return { reservation, changed: false };
      const written = await this.reservations.updateOne(
        { _id: orderId, status: read.status },
        { $set: { status: reservation.status, updatedAt: new Date() } },
      );
      if (written.matchedCount === 1) return { reservation, changed: true };
      // Someone moved the status first: apply the change to what they stored (it may now refuse or be a no-op).
    }
  }

  async delete(orderId: string): Promise<void> {
    await this.reservations.deleteOne({ _id: orderId });
  }

  async findOlderThan(status: ReservationStatus, before: Date, limit: number): Promise<Reservation[]> {
    const documents = await this.reservations.find({ status, updatedAt: { $lt: before } }).sort({ updatedAt: 1 }).limit(limit).toArray();
    return documents.map(toReservation);
  }

  async deleteClaim(orderId: string): Promise<boolean> {
    return (await this.reservations.deleteOne({ _id: orderId, status: "RESERVING" })).deletedCount === 1;
  }
}

function toReservation(document: ReservationDocument): Reservation {
  return Reservation.fromSnapshot({
    orderId: document._id,
    lines: document.lines.map(({ itemId, quantity }) => ({ itemId, quantity })),
    status: document.status,
  });
}
