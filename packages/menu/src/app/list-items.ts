import type { Item } from "../domain/item.js";
import type { ItemRepository } from "../domain/item-repository.js";

export interface ListItemsQuery {
  /** When false, only items that can be ordered are listed. */
  includeUnavailable: boolean;
}

/** The menu as customers see it: sorted by name (then id, so equal names keep a stable order). */
export class ListItems {
  constructor(private readonly items: ItemRepository) {}

  async execute(query: ListItemsQuery): Promise<Item[]> {
    const all = await this.items.list();
    return all
      .filter((item) => query.includeUnavailable || item.available)
      .sort((a, b) => a.name.localeCompare(b.name, "en") || a.id.localeCompare(b.id));
  }
}
