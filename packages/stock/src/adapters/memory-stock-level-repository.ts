import type { StockLevel } from "../domain/stock-level.js";
import type { ReserveUnitsResult, StockLevelRepository } from "../domain/stock-level-repository.js";
import { nextTurn } from "./next-turn.js";

interface Units {
  available: number;
  reserved: number;
  /** Units held per order: what makes every move idempotent by order. */
  holds: Map<string, number>;
}

/**
 * Stock levels in a Map. Every method is one primitive conditional update,
 * the same a MongoDB adapter makes with one `updateOne`: after its await, the
 * check and the change happen in the same synchronous step, so no other call
 * can slip between them (the in-process equivalent of a single-document
 * atomic update). Nothing here reads a level and writes it back later.
 */
export class MemoryStockLevelRepository implements StockLevelRepository {
  private readonly levels = new Map<string, Units>();

  async reserveUnits(itemId: string, quantity: number, orderId: string): Promise<ReserveUnitsResult> {
    await nextTurn();
    const units = this.levels.get(itemId);
    if (units?.holds.has(orderId)) return { reserved: true };
    if (!units || units.available < quantity) return { reserved: false, available: units?.available ?? 0 };
    units.available -= quantity;
    units.reserved += quantity;
    units.holds.set(orderId, quantity);
    return { reserved: true };
  }

  async releaseUnits(itemId: string, orderId: string): Promise<void> {
    await nextTurn();
    const units = this.levels.get(itemId);
    const held = units?.holds.get(orderId);
    if (!units || held === undefined) return;
    units.holds.delete(orderId);
    units.reserved -= held;
    units.available += held;
  }

  async commitUnits(itemId: string, orderId: string): Promise<void> {
    await nextTurn();
    const units = this.levels.get(itemId);
    const held = units?.holds.get(orderId);
    if (!units || held === undefined) return;
    units.holds.delete(orderId);
    units.reserved -= held;
  }

  async adjustAvailable(itemId: string, delta: number): Promise<StockLevel | undefined> {
    await nextTurn();
    const units = this.levels.get(itemId) ?? (delta > 0 ? { available: 0, reserved: 0, holds: new Map() } : undefined);
    if (!units || units.available + delta < 0) return undefined;
    units.available += delta;
    this.levels.set(itemId, units);
    return levelOf(itemId, units);
  }

  async insertLevel(itemId: string, available: number): Promise<boolean> {
    await nextTurn();
    if (this.levels.has(itemId)) return false;
    this.levels.set(itemId, { available, reserved: 0, holds: new Map() });
    return true;
  }

  async find(itemIds: readonly string[]): Promise<StockLevel[]> {
    await nextTurn();
    return [...new Set(itemIds)].flatMap((itemId) => {
      const units = this.levels.get(itemId);
      return units ? [levelOf(itemId, units)] : [];
    });
  }

  async list(): Promise<StockLevel[]> {
    await nextTurn();
    return [...this.levels.entries()]
      .map(([itemId, units]) => levelOf(itemId, units))
      .sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0));
  }

  async isEmpty(): Promise<boolean> {
    return this.levels.size === 0;
  }

}

function levelOf(itemId: string, units: Units): StockLevel {
  return { itemId, available: units.available, reserved: units.reserved };
}
