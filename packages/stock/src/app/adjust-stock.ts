import { NotFoundError, PreconditionError } from "@oms/platform/errors";
import type { StockLevel } from "../domain/stock-level.js";
import type { StockLevelRepository } from "../domain/stock-level-repository.js";

/**
 * Adds (restock) or removes (correction) available units in one conditional
 * update: available never goes below zero. A positive delta for an unknown
 * item creates its level; a negative one is NOT_FOUND.
 */
export class AdjustStock {
  constructor(private readonly levels: StockLevelRepository) {}

  async execute(itemId: string, delta: number): Promise<StockLevel> {
    const level = await this.levels.adjustAvailable(itemId, delta);
    if (level) return level;
    // Refused: read only to explain why; the decision was the atomic update's.
    const [current] = await this.levels.find([itemId]);
    if (!current) throw new NotFoundError("stock level of item", itemId, "item_id");
    throw new PreconditionError(
      `delta: removing ${-delta} units of item ${itemId} would leave available below zero (available ${current.available})`,
    );
  }
}
