import type { Reservation, ReservationStatus } from "./reservation.js";

/**
 * Reservations, one document per order id. `create` is the idempotency claim:
 * of concurrent requests for one order, exactly one creates (a MongoDB adapter
 * uses insertOne on `_id: orderId` and treats a duplicate key as "exists").
 * Contract: test/reservation-repository.contract.ts.
 */
export interface ReservationRepository {
  /** Stores `reservation` unless its order already has one; returns the stored one and whether it is new. */
  create(reservation: Reservation): Promise<{ reservation: Reservation; created: boolean }>;
  get(orderId: string): Promise<Reservation | undefined>;
  /**
   * Loads, applies `change` (a domain method, which may throw), and saves when
   * it returns true, atomically for that order (optimistic: the change is
   * re-applied to a fresh copy if the document moved meanwhile). Returns the
   * reservation after the change and whether it changed; undefined when unknown.
   */
  update(orderId: string, change: (reservation: Reservation) => boolean): Promise<{ reservation: Reservation; changed: boolean } | undefined>;
  /** Forgets a reservation (a RESERVING claim whose units could not all be taken). */
  delete(orderId: string): Promise<void>;
  /**
   * Reservations in `status` whose status last moved before `before`, oldest
   * first: RESERVING claims a crash left half made, HELD ones no order came for.
   */
  findOlderThan(status: ReservationStatus, before: Date, limit: number): Promise<Reservation[]>;
  /** Deletes the order's reservation only while it is still RESERVING; true when it did. */
  deleteClaim(orderId: string): Promise<boolean>;
}
