import type { ItemRepository } from "../domain/item-repository.js";
import { GetItems } from "./get-items.js";
import { ListItems } from "./list-items.js";
import { UpsertItem } from "./upsert-item.js";

/** The menu's use cases, as rpc.ts and tests call them. */
export interface MenuApp {
  listItems: ListItems;
  getItems: GetItems;
  upsertItem: UpsertItem;
}

/** Builds every use case on one repository. */
export function createMenuApp(items: ItemRepository): MenuApp {
  return { listItems: new ListItems(items), getItems: new GetItems(items), upsertItem: new UpsertItem(items) };
}
