import type { Item } from "./item.js";

/**
 * Where menu items are stored. Adapters: memory (adapters/memory-item-repository.ts)
 * and, later, MongoDB; test/item-repository.contract.ts holds both to the same behaviour.
 */
export interface ItemRepository {
  /** Every item, in no particular order. */
  list(): Promise<Item[]>;
  /** The stored items among `ids`, in no particular order; unknown ids are simply absent. */
  findByIds(ids: readonly string[]): Promise<Item[]>;
  /** Inserts the item or replaces the one with its id. */
  save(item: Item): Promise<void>;
  /** Whether no item is stored (seeding happens only then). */
  isEmpty(): Promise<boolean>;
}
