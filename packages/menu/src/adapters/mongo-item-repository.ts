import type { IndexPlan } from "@oms/platform/storage";
import type { Collection, Db } from "mongodb";
import { Item, type ItemProps } from "../domain/item.js";
import type { ItemRepository } from "../domain/item-repository.js";

/** One menu item as stored: the item's props with its id as `_id`. */
interface ItemDocument {
  _id: string;
  name: string;
  description: string;
  price: { currencyCode: string; amountMinor: number };
  available: boolean;
}

/** The collection menu items live in. */
export const itemCollection = "menu_items";

/**
 * Indexes for `ensureIndexes` at start. Items are only ever looked up by id
 * (`_id`, always indexed) or listed whole, so none is needed today; the entry
 * still creates the collection and is where a future index goes.
 */
export const itemIndexes: IndexPlan = { [itemCollection]: [] };

/** Menu items in MongoDB, one document per item. Contract: test/item-repository.contract.ts. */
export class MongoItemRepository implements ItemRepository {
  private readonly items: Collection<ItemDocument>;

  constructor(db: Db) {
    this.items = db.collection<ItemDocument>(itemCollection);
  }

  async list(): Promise<Item[]> {
    return (await this.items.find().toArray()).map(toItem);
  }

  async findByIds(ids: readonly string[]): Promise<Item[]> {
    if (ids.length === 0) return [];
    const documents = await this.items.find({ _id: { $in: [...new Set(ids)] } }).toArray();
    return documents.map(toItem);
  }

  async save(item: Item): Promise<void> {
    const { id, ...fields } = item.toProps();
    await this.items.replaceOne({ _id: id }, fields, { upsert: true });
  }

  /** One document read at most, however many are stored. */
  async isEmpty(): Promise<boolean> {
    return (await this.items.findOne({}, { projection: { _id: 1 } })) === null;
  }
}

/** Document -> Item through the constructor, so a bad stored document fails loudly instead of being served. */
function toItem(document: ItemDocument): Item {
  const props: ItemProps = {
    id: document._id,
    name: document.name,
    description: document.description,
    price: { currencyCode: document.price.currencyCode, amountMinor: document.price.amountMinor },
    available: document.available,
  };
  return new Item(props);
}
