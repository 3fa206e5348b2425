import { NotFoundError } from "@oms/platform/errors";
import type { Reservation } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { giveUnitsBack } from "./take-units.js";

/**
 * Gives an order's units back: HELD -> RELEASING (one atomic update, so a
 * concurrent commit cannot also take them), units back to available, then
 * RELEASED. Idempotent: a released reservation is returned unchanged. A
 * committed one is refused (FAILED_PRECONDITION: its units are sold); an
 * unknown order is NOT_FOUND. A crash or a storage failure between the two
 * steps leaves it RELEASING, which the next call, the redelivered event or
 * the sweep (FinishReleases) finishes: order's compensating release after a
 * failed CreateOrder is called once and never redelivered.
 */
export class ReleaseReservation {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute(orderId: string): Promise<Reservation> {
    const result = await this.reservations.update(orderId, (reservation) => reservation.release());
    if (!result) throw new NotFoundError("reservation for order", orderId, "order_id");
    const { status, lines } = result.reservation;
    // RELEASING or RELEASED now (release() throws for any other outcome), also when it was already: a crash
    // between the status and the units left some units in reserved, and the redelivered event or retried
    // call finishes the job. Moves are idempotent by order.
    await giveUnitsBack(this.levels, orderId, lines);
    if (status !== "RELEASING") return result.reservation;
    const released = await this.reservations.update(orderId, (reservation) => reservation.finishReleasing());
    return released?.reservation ?? result.reservation;
  }
}
