import { NotFoundError, PreconditionError, UnavailableError } from "@oms/platform/errors";
import type { Reservation } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { giveUnitsBack, takeUnits } from "./take-units.js";

/**
 * `order.created`: the order the units were held for exists, so its hold no
 * longer expires (HELD -> CONFIRMED). Idempotent by state. An order that
 * turned up after its hold expired (the bus was down longer than the hold
 * timeout) gets its units taken again if stock still has them: the order is
 * real and will be paid for. Taking them again goes through a RESERVING claim
 * (EXPIRED -> RESERVING), so of duplicate deliveries one takes, and a cancel
 * meanwhile is told to retry rather than missing the units.
 */
export class ConfirmReservation {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute(orderId: string): Promise<Reservation> {
    const result = await this.reservations.update(orderId, (reservation) => reservation.confirm());
    if (!result) throw new NotFoundError("reservation for order", orderId, "order_id");
    if (result.reservation.status === "EXPIRING") {
      throw new UnavailableError(`reservation for order ${orderId} is expiring; retry once its units are back`);
    }
    if (result.reservation.status !== "EXPIRED") return result.reservation;
    return this.reclaim(orderId);
  }

  private async reclaim(orderId: string): Promise<Reservation> {
    const claim = await this.reservations.update(orderId, (reservation) => reservation.reclaim());
    if (!claim) throw new NotFoundError("reservation for order", orderId, "order_id");
    // Another delivery is taking the units, or the order was cancelled meanwhile: its state is the answer.
    if (!claim.changed) return this.execute(orderId);
    const { lines } = claim.reservation;
    const shortages = await takeUnits(this.levels, orderId, lines);
    if (shortages.length > 0) {
      await this.reservations.deleteClaim(orderId);
      throw new PreconditionError(`order ${orderId} arrived after its hold expired, and stock no longer has its units`);
    }
    const held = await this.reservations.update(orderId, (reservation) => (reservation.hold(), reservation.confirm()));
    if (!held) {
      // The stale-claim sweep gave this up as crashed: give the units back, as ReserveItems does.
      await giveUnitsBack(this.levels, orderId, lines);
      throw new UnavailableError(`reservation for order ${orderId} took too long to take again; retry`);
    }
    return held.reservation;
  }
}
