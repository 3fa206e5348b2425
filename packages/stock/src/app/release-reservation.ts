import { NotFoundError } from "@oms/platform/errors";
import { checkId, type Reservation } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * HELD -> RELEASED, giving the units back to available. Idempotent: a
 * released reservation is returned unchanged. A committed one is refused
 * (FAILED_PRECONDITION: its units are sold); an unknown order is NOT_FOUND.
 * The status moves first, in one atomic update, so of concurrent releases
 * (RPC and order.cancelled at once) only one returns the units.
 */
export class ReleaseReservation {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute(orderId: string): Promise<Reservation> {
    checkId(orderId, "order_id");
    const result = await this.reservations.update(orderId, (reservation) => reservation.release());
    if (!result) throw new NotFoundError("reservation for order", orderId, "order_id");
    // Also when the status had moved already: a crash between the status and the units left some
    // units in reserved, and the redelivered event or retried call finishes the job. Moves are idempotent by order.
    if (result.reservation.status === "RELEASED") {
      for (const line of result.reservation.lines) await this.levels.releaseUnits(line.itemId, orderId);
    }
    return result.reservation;
  }
}
