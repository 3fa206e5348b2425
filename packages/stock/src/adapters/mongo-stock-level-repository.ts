import { isDuplicateKeyError, type IndexPlan } from "@oms/platform/storage";
import type { Collection, Db } from "mongodb";
import type { StockLevel } from "../domain/stock-level.js";
import type { ReserveUnitsResult, StockLevelRepository } from "../domain/stock-level-repository.js";

/** One item's units as stored, keyed by item id. */
interface LevelDocument {
  _id: string;
  available: number;
  reserved: number;
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

  async reserveUnits(itemId: string, quantity: number): Promise<ReserveUnitsResult> {
    const result = await this.levels.updateOne(
      { _id: itemId, available: { $gte: quantity } },
      { $inc: { available: -quantity, reserved: quantity } },
    );
    if (result.modifiedCount === 1) return { reserved: true };
    // Refused: read only to report what was there; the decision was the update's.
    const level = await this.levels.findOne({ _id: itemId });
    return { reserved: false, available: level?.available ?? 0 };
  }

  async releaseUnits(itemId: string, quantity: number): Promise<void> {
    const result = await this.levels.updateOne(
      { _id: itemId, reserved: { $gte: quantity } },
      { $inc: { reserved: -quantity, available: quantity } },
    );
    if (result.modifiedCount !== 1) await this.refuseMove(itemId, quantity);
  }

  async commitUnits(itemId: string, quantity: number): Promise<void> {
    const result = await this.levels.updateOne({ _id: itemId, reserved: { $gte: quantity } }, { $inc: { reserved: -quantity } });
    if (result.modifiedCount !== 1) await this.refuseMove(itemId, quantity);
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

  async count(): Promise<number> {
    return this.levels.countDocuments();
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
  private async refuseMove(itemId: string, quantity: number): Promise<never> {
    const level = await this.levels.findOne({ _id: itemId });
    throw new Error(`stock of ${itemId} holds ${level?.reserved ?? 0} reserved units, fewer than the ${quantity} to move`);
  }
}

function toLevel(document: LevelDocument): StockLevel {
  return { itemId: document._id, available: document.available, reserved: document.reserved };
}
