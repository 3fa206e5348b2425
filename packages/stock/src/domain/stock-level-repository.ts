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
   * Takes `quantity` units from available into reserved for `orderId`, only
   * if at least that many are available (an unknown item has none), recording
   * the hold on the level in the same atomic update. An order that already
   * holds units of the item takes nothing more and is answered reserved: so a
   * retry after a crash never takes twice. On refusal, reports the available
   * units seen (an adapter may read them just after the refused update).
   */
  reserveUnits(itemId: string, quantity: number, orderId: string): Promise<ReserveUnitsResult>;
  /** Gives back what `orderId` holds of the item (release, or compensation); nothing when it holds nothing. */
  releaseUnits(itemId: string, orderId: string): Promise<void>;
  /** What `orderId` holds of the item is sold: reserved goes down, the hold is gone; nothing when it holds nothing. */
  commitUnits(itemId: string, orderId: string): Promise<void>;
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
  /** Whether no level is stored (seeding happens only then). */
  isEmpty(): Promise<boolean>;
}
