import { Item, type ItemProps } from "../domain/item.js";
import type { ItemRepository } from "../domain/item-repository.js";

/**
 * Items in a Map, for the embedded mode and tests. Stores plain copies so a
 * caller can never change a stored item by holding a reference to it.
 */
export class MemoryItemRepository implements ItemRepository {
  private readonly items = new Map<string, ItemProps>();

  async list(): Promise<Item[]> {
    return [...this.items.values()].map((props) => new Item(props));
  }

  async findByIds(ids: readonly string[]): Promise<Item[]> {
    const found = new Map<string, Item>();
    for (const id of ids) {
      const props = this.items.get(id);
      if (props) found.set(id, new Item(props));
    }
    return [...found.values()];
  }

  async save(item: Item): Promise<void> {
    this.items.set(item.id, item.toProps());
  }

  async isEmpty(): Promise<boolean> {
    return this.items.size === 0;
  }
}
