import { NotFoundError } from "@oms/platform/errors";
import type { Reservation } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * HELD -> COMMITTED when the order is paid: the reserved units are sold and
 * leave the stock. Idempotent: a committed reservation is returned unchanged;
 * a released one is refused (FAILED_PRECONDITION). Like release, the status
 * moves first so only one of concurrent duplicate deliveries moves units.
 */
export class CommitReservation {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute(orderId: string): Promise<Reservation> {
    const result = await this.reservations.update(orderId, (reservation) => reservation.commit());
    if (!result) throw new NotFoundError("reservation for order", orderId, "order_id");
    // COMMITTED now (commit() throws for any other outcome), also when it was already: a crash between the
    // status and the units left some units in reserved, and the redelivered event or retried call finishes
    // the job. Moves are idempotent by order.
    for (const line of result.reservation.lines) await this.levels.commitUnits(line.itemId, orderId);
    return result.reservation;
  }
}
