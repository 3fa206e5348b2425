import { ValidationError } from "@oms/platform/errors";
import { isId } from "@oms/platform/ids";
import { money, type Money } from "./money.js";

/** What an item is made from: plain data, as requests, seeds and storage carry it. */
export interface ItemProps {
  id: string;
  name: string;
  description: string;
  price: { currencyCode: string; amountMinor: number };
  available: boolean;
}

/**
 * A dish on the menu. Always what the menu relies on, whoever builds it (a
 * request, the seed, storage): a ULID, a name, a price in whole non-negative
 * minor units of a currency code; otherwise a ValidationError naming the
 * request field (`item.name`, `item.price.amount_minor`, ...). The request's
 * bounds on top (a name of at most 80 characters, a description of at most
 * 500) are its contract's. Immutable: an upsert builds a new Item and
 * replaces the stored one.
 */
export class Item {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly price: Money;
  /** Unavailable items stay on the menu (ListItems can show them) but cannot be ordered. */
  readonly available: boolean;

  constructor(props: ItemProps) {
    if (!isId(props.id)) throw new ValidationError("item.id", "must be a ULID (26 characters, Crockford base 32)");
    const name = props.name.trim();
    if (name.length === 0) throw new ValidationError("item.name", "is required");
    this.id = props.id;
    this.name = name;
    this.description = props.description;
    this.price = money(props.price.currencyCode, props.price.amountMinor, "item.price");
    this.available = props.available;
    Object.freeze(this);
  }

  /** Plain data for storage adapters and mappers. */
  toProps(): ItemProps {
    return {
      id: this.id,
      name: this.name,
      description: this.description,
      price: { currencyCode: this.price.currencyCode, amountMinor: this.price.amountMinor },
      available: this.available,
    };
  }
}
