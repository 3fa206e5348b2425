import { NotFoundError } from "@oms/platform/errors";
import type { StockLevel } from "../domain/stock-level.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * Levels for the given items in the order asked, or every level (sorted by
 * item id) when none is named. Any unknown id fails the call with NOT_FOUND
 * naming each one, as menu's GetItems does. The contract bounds the ids
 * asked for at once (100).
 */
export class GetStock {
  constructor(private readonly levels: StockLevelRepository) {}

  async execute(itemIds: readonly string[]): Promise<StockLevel[]> {
    if (itemIds.length === 0) return this.levels.list();
    const found = new Map((await this.levels.find(itemIds)).map((level) => [level.itemId, level]));
    const unknown = [...new Set(itemIds.filter((id) => !found.has(id)))];
    if (unknown.length > 0) {
      throw new NotFoundError(unknown.length === 1 ? "stock level of item" : "stock levels of items", unknown.join(", "), "item_ids");
    }
    return itemIds.map((id) => found.get(id)!);
  }
}
