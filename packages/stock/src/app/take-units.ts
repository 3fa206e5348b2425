import type { Shortage } from "../domain/insufficient-stock.js";
import type { ReservationLine } from "../domain/reservation.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * Takes every line's units for `orderId`, all or nothing: each line with one
 * conditional atomic update (never read-then-write), every line tried so the
 * answer names every short item. When any line is short, or storage fails
 * midway, the units taken are given back before returning or throwing, so no
 * order is left holding part of its lines. Returns the shortages (empty: all held).
 */
export async function takeUnits(levels: StockLevelRepository, orderId: string, lines: readonly ReservationLine[]): Promise<Shortage[]> {
  const shortages: Shortage[] = [];
  let held = 0;
  try {
    for (const line of lines) {
      const result = await levels.reserveUnits(line.itemId, line.quantity, orderId);
      if (result.reserved) held++;
      else shortages.push({ itemId: line.itemId, requested: line.quantity, available: result.available });
    }
  } finally {
    if (held < lines.length) await giveUnitsBack(levels, orderId, lines);
  }
  return shortages;
}

/** Gives back whatever `orderId` holds of each line's item (nothing for lines it holds none of). */
export async function giveUnitsBack(levels: StockLevelRepository, orderId: string, lines: readonly ReservationLine[]): Promise<void> {
  for (const line of lines) await levels.releaseUnits(line.itemId, orderId);
}
