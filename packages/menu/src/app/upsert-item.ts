import { newId } from "@oms/platform/ids";
import { Item, type ItemProps } from "../domain/item.js";
import type { ItemRepository } from "../domain/item-repository.js";

/** An item to store; an empty id creates a new item with a fresh ULID. */
export type UpsertItemCommand = ItemProps;

/** Creates an item or replaces the one with that id (idempotent for a given id). */
export class UpsertItem {
  constructor(private readonly items: ItemRepository) {}

  async execute(command: UpsertItemCommand): Promise<Item> {
    const item = new Item({ ...command, id: command.id === "" ? newId() : command.id });
    await this.items.save(item);
    return item;
  }
}
