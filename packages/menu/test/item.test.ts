import { ValidationError } from "@oms/platform/errors";
import { newId } from "@oms/platform/ids";
import { describe, expect, it } from "vitest";
import { Item, type ItemProps } from "../src/domain/item.js";

const valid = (): ItemProps => ({
  id: newId(),
  name: "Margherita",
  description: "Tomato, mozzarella, basil",
  price: { currencyCode: "EUR", amountMinor: 950 },
  available: true,
});

function refusal(change: (props: ItemProps) => void): ValidationError {
  const props = valid();
  change(props);
  try {
    new Item(props);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error("the item was accepted");
}

describe("Item", () => {
  it("keeps valid input, trimming the name", () => {
    const item = new Item({ ...valid(), name: "  Diavola " });
    expect(item.name).toBe("Diavola");
    expect(item.price).toEqual({ currencyCode: "EUR", amountMinor: 950 });
  });

  it("accepts a free item", () => {
    expect(() => new Item({ ...valid(), price: { currencyCode: "EUR", amountMinor: 0 } })).not.toThrow();
  });

  it.each([
    ["item.id", (p: ItemProps) => (p.id = "not-a-ulid")],
    ["item.id", (p: ItemProps) => (p.id = "")],
    ["item.name", (p: ItemProps) => (p.name = "")],
    ["item.name", (p: ItemProps) => (p.name = "   ")],
    ["item.price.currency_code", (p: ItemProps) => (p.price.currencyCode = "eur")],
    ["item.price.currency_code", (p: ItemProps) => (p.price.currencyCode = "EURO")],
    ["item.price.currency_code", (p: ItemProps) => (p.price.currencyCode = "")],
    ["item.price.amount_minor", (p: ItemProps) => (p.price.amountMinor = -1)],
    ["item.price.amount_minor", (p: ItemProps) => (p.price.amountMinor = 9.5)],
    ["item.price.amount_minor", (p: ItemProps) => (p.price.amountMinor = 2 ** 60)],
  ])("refuses a bad %s", (field, change) => {
    const error = refusal(change);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^${field.replace(/\./g, "\\.")}: `));
  });

  it("cannot be changed after construction", () => {
    const item = new Item(valid());
    expect(() => ((item as { name: string }).name = "x")).toThrow(TypeError);
  });
});
