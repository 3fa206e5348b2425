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

  it("says what each field must be", () => {
    expect(refusal((p) => (p.id = "")).message).toBe("item.id: must be a ULID (26 characters, Crockford base 32)");
    expect(refusal((p) => (p.name = " ")).message).toBe("item.name: is required");
    expect(refusal((p) => (p.price.currencyCode = "XEUR")).message).toBe("item.price.currency_code: must be three upper-case letters (ISO 4217), e.g. EUR");
    expect(refusal((p) => (p.price.currencyCode = "EUR1")).field).toBe("item.price.currency_code");
    expect(refusal((p) => (p.price.amountMinor = -1)).message).toBe("item.price.amount_minor: must be a whole number of minor units, 0 or more");
  });

  it("gives its plain data back as it keeps it", () => {
    const props = valid();
    expect(new Item({ ...props, name: ` ${props.name} ` }).toProps()).toEqual(props);
    expect(new Item({ ...props, available: false }).toProps().available).toBe(false);
  });

  it("cannot be changed after construction, its price neither", () => {
    const item = new Item(valid());
    expect(() => ((item as { name: string }).name = "x")).toThrow(TypeError);
    expect(() => ((item.price as { amountMinor: number }).amountMinor = 1)).toThrow(TypeError);
  });
});
