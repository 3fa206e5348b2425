import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { giveUnitsBack } from "./take-units.js";

/**
 * Finishes releases a crash or a storage failure interrupted: a reservation
 * left RELEASING gets its units back (idempotent per order) and becomes
 * RELEASED. Needed for the one release nobody repeats: order's compensation
 * when a CreateOrder fails after stock reserved (no order, so no
 * order.cancelled will ever be redelivered).
 */
export class FinishReleases {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  /** Returns how many releases it finished. */
  async execute(now = new Date()): Promise<number> {
    const releasing = await this.reservations.findOlderThan("RELEASING", new Date(now.getTime() + 1), 100);
    let finished = 0;
    for (const reservation of releasing) {
      await giveUnitsBack(this.levels, reservation.orderId, reservation.lines);
      const result = await this.reservations.update(reservation.orderId, (stored) => stored.finishReleasing());
      if (result?.changed) finished++;
    }
    return finished;
  }
}
