import { ConflictError, UnavailableError } from "@oms/platform/errors";
import { InsufficientStockError } from "../domain/insufficient-stock.js";
import { Reservation, type ReservationLine } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { giveUnitsBack, takeUnits } from "./take-units.js";

/**
 * Holds every line's units for an order, all or nothing.
 *
 * 1. Claim the order id by creating its reservation (RESERVING): of concurrent
 *    or repeated calls for one order, only one goes on; the others get the
 *    existing reservation (ALREADY_EXISTS if they ask for other lines).
 * 2. Take each line's units (takeUnits: one conditional atomic update per
 *    line, every line tried so the error names every short item).
 * 3. If any line was short, the units taken went back (compensation); forget
 *    the claim (a later retry may succeed after a restock) and fail with
 *    InsufficientStockError; otherwise mark the reservation HELD.
 * An unknown item has no stock: it is reported short with 0 available.
 */
export class ReserveItems {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute(orderId: string, lines: readonly ReservationLine[]): Promise<Reservation> {
    const requested = Reservation.request(orderId, lines);
    const { reservation, created } = await this.reservations.create(requested);
    if (!created) return existing(reservation, requested);

    // Storage failing midway throws out of here with the claim left RESERVING: whether every unit taken
    // went back is then unknown, and the stale-claim sweep gives back whatever this order holds before it
    // forgets the claim. Deleting it now could strand units no reservation points to.
    const shortages = await takeUnits(this.levels, orderId, requested.lines);
    if (shortages.length > 0) {
      // Short: takeUnits gave back what it took, so the claim can go and a later retry (after a restock) start over.
      await this.reservations.delete(orderId);
      throw new InsufficientStockError(shortages);
    }
    const held = await this.reservations.update(orderId, (claimed) => {
      claimed.hold();
      return true;
    });
    if (!held) {
      // The sweeper gave this claim up as crashed (it took too long): give the units back too and let the caller retry.
      await this.abandon(orderId, requested.lines);
      throw new UnavailableError(`order_id: the reservation for order ${orderId} took too long and was given up; retry`);
    }
    return held.reservation;
  }

  private async abandon(orderId: string, lines: readonly ReservationLine[]): Promise<void> {
    await giveUnitsBack(this.levels, orderId, lines);
    await this.reservations.delete(orderId);
  }
}

/** A repeated call: the same lines get the stored reservation; other lines are a different request under the same id. */
function existing(stored: Reservation, requested: Reservation): Reservation {
  if (!stored.sameLines(requested.lines)) {
    throw new ConflictError(`order_id: order ${stored.orderId} already has a reservation with other lines`);
  }
  if (stored.status === "RESERVING") {
    throw new UnavailableError(`order_id: the reservation for order ${stored.orderId} is still being made; retry`);
  }
  if (stored.status === "EXPIRING" || stored.status === "EXPIRED") {
    // Its units went back while no order came: the caller is far too late with this id and should start over with a new one.
    throw new UnavailableError(`order_id: the reservation for order ${stored.orderId} expired unconfirmed; retry as a new order`);
  }
  return stored;
}
