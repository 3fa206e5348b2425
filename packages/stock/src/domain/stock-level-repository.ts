import type { StockLevel } from "./stock-level.js";

/** The answer of a conditional reservation of units. */
export type ReserveUnitsResult = { reserved: true } | { reserved: false; available: number };

/**
 * Stock levels, changed only through single-document conditional atomic
 * updates: no method reads a level and writes it back. A MongoDB adapter maps
 * each to one `updateOne` with a filter, e.g. reserveUnits is
 * `updateOne({ _id: itemId, available: { $gte: q } }, { $inc: { available: -q, reserved: q } })`.
 * Contract: test/stock-level-repository.contract.ts.
 */
export interface StockLevelRepository {
  /**
   * Takes `quantity` units from available into reserved, only if at least that
   * many are available (an unknown item has none). On refusal, reports the
   * available units seen (an adapter may read them just after the refused update).
   */
  reserveUnits(itemId: string, quantity: number): Promise<ReserveUnitsResult>;
  /** Gives reserved units back to available (a release, or compensation of a failed reservation). */
  releaseUnits(itemId: string, quantity: number): Promise<void>;
  /** Removes reserved units for good: the order was paid, the units are sold. */
  commitUnits(itemId: string, quantity: number): Promise<void>;
  /**
   * Adds `delta` to available only if the result stays >= 0; a positive delta
   * creates an unknown item's level. Returns the new level, or undefined when
   * refused (unknown item with a negative delta, or too few units).
   */
  adjustAvailable(itemId: string, delta: number): Promise<StockLevel | undefined>;
  /** Creates an item's level with `available` units unless it has one (seeding); true when created. */
  insertLevel(itemId: string, available: number): Promise<boolean>;
  /** The stored levels among `itemIds`, unknown ones absent. */
  find(itemIds: readonly string[]): Promise<StockLevel[]>;
  /** Every level, sorted by item id. */
  list(): Promise<StockLevel[]>;
  count(): Promise<number>;
}
