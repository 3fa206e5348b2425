import { NotFoundError } from "@oms/platform/errors";
import type { Item } from "../domain/item.js";
import type { ItemRepository } from "../domain/item-repository.js";

/**
 * The items with the given ids, in the order asked (a repeated id is repeated).
 * Any unknown id fails the whole call with NOT_FOUND naming every unknown id,
 * so a caller never prices an order from a partial answer. The contract asks
 * for 1 to 100 ids: callers ask for one order's items, not the whole menu.
 */
export class GetItems {
  constructor(private readonly items: ItemRepository) {}

  async execute(itemIds: readonly string[]): Promise<Item[]> {
    const found = new Map((await this.items.findByIds(itemIds)).map((item) => [item.id, item]));
    const unknown = [...new Set(itemIds.filter((id) => !found.has(id)))];
    if (unknown.length > 0) throw new NotFoundError(unknown.length === 1 ? "item" : "items", unknown.join(", "), "item_ids");
    return itemIds.map((id) => found.get(id)!);
  }
}
