import type { Reservation } from "../domain/reservation.js";
import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { giveUnitsBack } from "./take-units.js";

/**
 * Finishes give-backs a crash or a storage failure interrupted: each
 * reservation still in `status` (EXPIRING or RELEASING: the status moved,
 * the units may not have) gets its units back, idempotently per order, and
 * then `finish` moves it on. Returns how many it finished.
 */
export async function finishGiveBacks(
  levels: StockLevelRepository,
  reservations: ReservationRepository,
  status: "EXPIRING" | "RELEASING",
  finish: (reservation: Reservation) => boolean,
  now: Date,
): Promise<number> {
  const interrupted = await reservations.findOlderThan(status, new Date(now.getTime() + 1), 100);
  let finished = 0;
  for (const reservation of interrupted) {
    await giveUnitsBack(levels, reservation.orderId, reservation.lines);
    const result = await reservations.update(reservation.orderId, finish);
    if (result?.changed) finished++;
  }
  return finished;
}
