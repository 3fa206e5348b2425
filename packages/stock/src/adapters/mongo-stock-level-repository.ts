import { isDuplicateKeyError, type IndexPlan } from "@oms/platform/storage";
import type { Collection, Db } from "mongodb";
import type { StockLevel } from "../domain/stock-level.js";
import type { ReserveUnitsResult, StockLevelRepository } from "../domain/stock-level-repository.js";

/** One item's units as stored, keyed by item id. */
interface LevelDocument {
  _id: string;
  available: number;
  reserved: number;
  /** Units held per order (key: holdKey(orderId)), written in the same update that moves them. */
  holds?: Record<string, number>;
}

/** An order id as a field name: no dots or leading `$` (field-name rules), reversible. */
function holdKey(orderId: string): string {
  return `holds.${encodeURIComponent(orderId).replace(/\./g, "%2E")}`;
}

/** The collection stock levels live in. */
export const stockLevelCollection = "stock_levels";

/** Levels are reached by `_id` (the item id) only: no further index. */
export const stockLevelIndexes: IndexPlan = { [stockLevelCollection]: [] };

/**
 * Stock levels in MongoDB. Every change is one `updateOne`/`findOneAndUpdate`
 * whose filter carries the condition (`available >= q`, `reserved >= q`), so
 * the check and the change are one atomic single-document write; nothing reads
 * a level to decide what to write. On FerretDB this holds only because
 * connectMongo uses one connection (FERRETDB-NOTES.md).
 */
export class MongoStockLevelRepository implements StockLevelRepository {
  private readonly levels: Collection<LevelDocument>;

  constructor(db: Db) {
    this.levels = db.collection<LevelDocument>(stockLevelCollection);
  }

  async reserveUnits(itemId: string, quantity: number, orderId: string): Promise<ReserveUnitsResult> {
    const hold = holdKey(orderId);
    const result = await this.levels.updateOne(
      { _id: itemId, available: { $gte: quantity }, [hold]: { $exists: false } },
      { $inc: { available: -quantity, reserved: quantity }, $set: { [hold]: quantity } },
    );
    if (result.modifiedCount === 1) return { reserved: true };
    // Refused: read only to tell "this order holds them already" from "too few"; the decision was the update's.
    const level = await this.levels.findOne({ _id: itemId });
    if (level && heldBy(level, orderId) !== undefined) return { reserved: true };
    return { reserved: false, available: level?.available ?? 0 };
  }

  releaseUnits(itemId: string, orderId: string): Promise<void> {
    return this.moveHeld(itemId, orderId, (held) => ({ reserved: -held, available: held }));
  }

  commitUnits(itemId: string, orderId: string): Promise<void> {
    return this.moveHeld(itemId, orderId, (held) => ({ reserved: -held }));
  }

  /** One conditional update on the exact hold: a repeat, or a concurrent twin, finds it gone and moves nothing. */
  private async moveHeld(itemId: string, orderId: string, increments: (held: number) => Record<string, number>): Promise<void> {
    const level = await this.levels.findOne({ _id: itemId });
    const held = level ? heldBy(level, orderId) : undefined;
    if (held === undefined) return;
    const hold = holdKey(orderId);
    await this.levels.updateOne({ _id: itemId, [hold]: held }, { $inc: increments(held), $unset: { [hold]: "" } });
  }

  async adjustAvailable(itemId: string, delta: number): Promise<StockLevel | undefined> {
    if (delta < 0) {
      const level = await this.levels.findOneAndUpdate(
        { _id: itemId, available: { $gte: -delta } },
        { $inc: { available: delta } },
        { returnDocument: "after" },
      );
      return level ? toLevel(level) : undefined;
    }
    return toLevel(await this.restock(itemId, delta));
  }

  async insertLevel(itemId: string, available: number): Promise<boolean> {
    try {
      await this.levels.insertOne({ _id: itemId, available, reserved: 0 });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async find(itemIds: readonly string[]): Promise<StockLevel[]> {
    if (itemIds.length === 0) return [];
    const documents = await this.levels.find({ _id: { $in: [...new Set(itemIds)] } }).toArray();
    return documents.map(toLevel);
  }

  async list(): Promise<StockLevel[]> {
    return (await this.levels.find().sort({ _id: 1 }).toArray()).map(toLevel);
  }

  /** One document read at most, however many are stored. */
  async isEmpty(): Promise<boolean> {
    return (await this.levels.findOne({}, { projection: { _id: 1 } })) === null;
  }

  /**
   * Adds units, creating the level when the item has none. Two concurrent
   * upserts of a new item can both miss and both insert on MongoDB: the loser
   * gets a duplicate key and retries, which then finds and increments the level.
   */
  private async restock(itemId: string, delta: number): Promise<LevelDocument> {
    for (let attempt = 1; ; attempt++) {
      try {
        const level = await this.levels.findOneAndUpdate(
          { _id: itemId },
          { $inc: { available: delta }, $setOnInsert: { reserved: 0 } },
          { upsert: true, returnDocument: "after" },
        );
        if (!level) throw new Error(`upsert of stock level ${itemId} returned no document`);
        return level;
      } catch (error) {
        if (attempt >= 3 || !isDuplicateKeyError(error)) throw error;
      }
    }
  }

  /** A release or commit of more units than are reserved: a bug upstream (units moved twice), surfaced, never clamped. */

}

function toLevel(document: LevelDocument): StockLevel {
  return { itemId: document._id, available: document.available, reserved: document.reserved };
}

function heldBy(level: LevelDocument, orderId: string): number | undefined {
  return level.holds?.[holdKey(orderId).slice("holds.".length)];
}
