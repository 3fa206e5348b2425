import type { ReservationRepository } from "../domain/reservation-repository.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * Finishes what a crash in the middle of ReserveItems left: a claim still
 * RESERVING long after any call could be making it. Every line's hold is
 * given back (a no-op for lines never taken: holds are recorded with the
 * units, per order) and then the claim is deleted, so the order may be
 * retried. Holds go first: while the claim stands, a retry for the order is
 * told to wait, so it cannot take units the sweep is giving back. A call
 * that was only slow (past `staleAfterMs`, far beyond any RPC deadline) and
 * held its claim meanwhile gets its units taken again; one that still
 * reaches hold() later finds the claim gone and gives back what it took.
 */
export class RecoverStaleClaims {
  constructor(
    private readonly levels: StockLevelRepository,
    private readonly reservations: ReservationRepository,
    private readonly staleAfterMs: number,
  ) {}

  /** Returns how many claims it gave up. */
  async execute(now = new Date()): Promise<number> {
    const stale = await this.reservations.findOlderThan("RESERVING", new Date(now.getTime() - this.staleAfterMs), 100);
    let recovered = 0;
    for (const claim of stale) {
      for (const line of claim.lines) await this.levels.releaseUnits(line.itemId, claim.orderId);
      if (await this.reservations.deleteClaim(claim.orderId)) {
        recovered++;
        continue;
      }
      const finished = await this.reservations.get(claim.orderId);
      if (finished?.status !== "HELD") continue;
      for (const line of finished.lines) await this.levels.reserveUnits(line.itemId, line.quantity, claim.orderId);
    }
    return recovered;
  }
}
