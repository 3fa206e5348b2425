import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";
import { finishGiveBacks } from "./finish-give-backs.js";

/**
 * Gives back units held for orders that never came into existence. Order
 * reserves under a fresh order id and stores the order after; if that store
 * fails and so does its compensating release (order crashed, or lost its
 * database), nothing else would ever release the hold. Stock cannot ask
 * order whether the order exists without calling back into the service that
 * calls it; instead every stored order announces itself with `order.created`
 * (published from order's outbox, so never lost), which confirms the hold
 * (ConfirmReservation). A hold still unconfirmed `expireAfterMs` after it was
 * taken expires: its status moves first (HELD -> EXPIRING, a compare-and-set
 * that loses to a confirmation), then the units go back, then EXPIRED. A crash
 * in between leaves it EXPIRING, which the next sweep finishes. An order that
 * was only late (the bus down longer than the timeout) takes its units again
 * when its event arrives, so the timeout trades how long a leak lasts against
 * how often a late order must re-take units; it is not what keeps stock right.
 */
export class ExpireUnconfirmedHolds {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
    private readonly expireAfterMs: number,
  ) {}

  /** Returns how many holds it expired. */
  async execute(now = new Date()): Promise<number> {
    const unconfirmed = await this.reservations.findOlderThan("HELD", new Date(now.getTime() - this.expireAfterMs), 100);
    for (const hold of unconfirmed) await this.reservations.update(hold.orderId, (reservation) => reservation.expire());
    // Also the ones a crash left half given back; EXPIRING lasts a moment otherwise.
    return finishGiveBacks(this.levels, this.reservations, "EXPIRING", (reservation) => reservation.finishExpiring(), now);
  }
}
