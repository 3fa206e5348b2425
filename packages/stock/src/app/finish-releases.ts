import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { finishGiveBacks } from "./finish-give-backs.js";

/**
 * Finishes releases a crash or a storage failure interrupted: a reservation
 * left RELEASING gets its units back and becomes RELEASED. Needed for the one
 * release nobody repeats: order's compensation when a CreateOrder fails after
 * stock reserved (no order, so no order.cancelled will ever be redelivered).
 */
export class FinishReleases {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  /** Returns how many releases it finished. */
  execute(now = new Date()): Promise<number> {
    return finishGiveBacks(this.levels, this.reservations, "RELEASING", (reservation) => reservation.finishReleasing(), now);
  }
}
