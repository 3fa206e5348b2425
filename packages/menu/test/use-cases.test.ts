import { NotFoundError, ValidationError } from "@oms/platform/errors";
import { isId, newId } from "@oms/platform/ids";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryItemRepository } from "../src/adapters/memory-item-repository.js";
import { createMenuApp, type MenuApp } from "../src/app/menu-app.js";
import { sampleItem } from "./item-repository.contract.js";

describe("menu use cases", () => {
  let items: MemoryItemRepository;
  let app: MenuApp;
  beforeEach(() => {
    items = new MemoryItemRepository();
    app = createMenuApp(items);
  });

  describe("ListItems", () => {
    it("lists available items sorted by name, all of them when asked", async () => {
      await items.save(sampleItem({ name: "Tiramisu" }));
      await items.save(sampleItem({ name: "Espresso", available: false }));
      await items.save(sampleItem({ name: "Lasagne" }));
      const names = async (includeUnavailable: boolean) =>
        (await app.listItems.execute({ includeUnavailable })).map((item) => item.name);
      expect(await names(false)).toEqual(["Lasagne", "Tiramisu"]);
      expect(await names(true)).toEqual(["Espresso", "Lasagne", "Tiramisu"]);
    });

    it("keeps items of the same name in id order", async () => {
      const [first, second] = [newId(), newId()].sort();
      await items.save(sampleItem({ id: second!, name: "Soup" }));
      await items.save(sampleItem({ id: first!, name: "Soup" }));
      expect((await app.listItems.execute({ includeUnavailable: false })).map((item) => item.id)).toEqual([first, second]);
    });
  });

  describe("GetItems", () => {
    it("returns the items in the order asked", async () => {
      const a = sampleItem({ name: "A" });
      const b = sampleItem({ name: "B" });
      await items.save(a);
      await items.save(b);
      const found = await app.getItems.execute([b.id, a.id, b.id]);
      expect(found.map((item) => item.id)).toEqual([b.id, a.id, b.id]);
    });

    it("names every unknown id in a NotFoundError on item_ids", async () => {
      const known = sampleItem();
      await items.save(known);
      const missing = [newId(), newId()];
      const error = await app.getItems.execute([known.id, ...missing]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).field).toBe("item_ids");
      for (const id of missing) expect((error as Error).message).toContain(id);
      expect((error as Error).message).not.toContain(known.id);
    });

    it("names an unknown id asked for twice once", async () => {
      const missing = newId();
      await expect(app.getItems.execute([missing, missing])).rejects.toThrow(`item_ids: item "${missing}" not found`);
      const other = newId();
      await expect(app.getItems.execute([missing, other])).rejects.toThrow(`item_ids: items "${missing}, ${other}" not found`);
    });
  });

  describe("UpsertItem", () => {
    const command = { id: "", name: "Focaccia", description: "", price: { currencyCode: "EUR", amountMinor: 400 }, available: true };

    it("creates an item with a new ULID when the id is empty", async () => {
      const item = await app.upsertItem.execute(command);
      expect(isId(item.id)).toBe(true);
      expect((await app.getItems.execute([item.id]))[0]?.name).toBe("Focaccia");
    });

    it("replaces the item with a given id", async () => {
      const item = await app.upsertItem.execute(command);
      await app.upsertItem.execute({ ...command, id: item.id, price: { currencyCode: "EUR", amountMinor: 450 } });
      expect(await items.list()).toHaveLength(1);
      expect((await app.getItems.execute([item.id]))[0]?.price.amountMinor).toBe(450);
    });

    it("stores nothing for invalid input", async () => {
      await expect(app.upsertItem.execute({ ...command, name: "" })).rejects.toThrow(ValidationError);
      expect(await items.isEmpty()).toBe(true);
    });
  });
});
