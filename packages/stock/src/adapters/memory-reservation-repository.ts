import { Reservation, type ReservationSnapshot, type ReservationStatus } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import { nextTurn } from "./next-turn.js";

interface Stored {
  snapshot: ReservationSnapshot;
  /** Bumped on every save: update() writes only if nobody saved since it read (optimistic concurrency). */
  version: number;
  updatedAt: Date;
}

/** Reservations in a Map, keyed by order id, stored as copies. */
export class MemoryReservationRepository implements ReservationRepository {
  private readonly reservations = new Map<string, Stored>();

  async create(reservation: Reservation): Promise<{ reservation: Reservation; created: boolean }> {
    await nextTurn();
    const existing = this.reservations.get(reservation.orderId);
    if (existing) return { reservation: Reservation.fromSnapshot(existing.snapshot), created: false };
    this.reservations.set(reservation.orderId, { snapshot: reservation.toSnapshot(), version: 1, updatedAt: new Date() });
    return { reservation: Reservation.fromSnapshot(reservation.toSnapshot()), created: true };
  }

  async get(orderId: string): Promise<Reservation | undefined> {
    await nextTurn();
    const stored = this.reservations.get(orderId);
    return stored && Reservation.fromSnapshot(stored.snapshot);
  }

  async update(
    orderId: string,
    change: (reservation: Reservation) => boolean,
  ): Promise<{ reservation: Reservation; changed: boolean } | undefined> {
    for (;;) {
      await nextTurn();
      const read = this.reservations.get(orderId);
      if (!read) return undefined;
      const reservation = Reservation.fromSnapshot(read.snapshot);
      if (!change(reservation)) return { reservation, changed: false };
      // The write is a separate round trip, as with findOne + updateOne({ _id, version }).
      await nextTurn();
      const current = this.reservations.get(orderId);
      if (current?.version !== read.version) continue;
      this.reservations.set(orderId, { snapshot: reservation.toSnapshot(), version: read.version + 1, updatedAt: new Date() });
      return { reservation: Reservation.fromSnapshot(reservation.toSnapshot()), changed: true };
    }
  }

  async delete(orderId: string): Promise<void> {
    await nextTurn();
    this.reservations.delete(orderId);
  }

  async findOlderThan(status: ReservationStatus, before: Date, limit: number): Promise<Reservation[]> {
    await nextTurn();
    return [...this.reservations.values()]
      .filter((stored) => stored.snapshot.status === status && stored.updatedAt < before)
      .sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime())
      .slice(0, limit)
      .map((stored) => Reservation.fromSnapshot(stored.snapshot));
  }

  async deleteClaim(orderId: string): Promise<boolean> {
    await nextTurn();
    if (this.reservations.get(orderId)?.snapshot.status !== "RESERVING") return false;
    return this.reservations.delete(orderId);
  }
}
