import { newId } from "@oms/platform/ids";
import { beforeEach, describe, expect, it } from "vitest";
import { Item } from "../src/domain/item.js";
import type { ItemRepository } from "../src/domain/item-repository.js";

/** A valid item with the given changes. */
export function sampleItem(changes: Partial<ConstructorParameters<typeof Item>[0]> = {}): Item {
  return new Item({
    id: newId(),
    name: "Margherita",
    description: "Tomato, mozzarella, basil",
    price: { currencyCode: "EUR", amountMinor: 950 },
    available: true,
    ...changes,
  });
}

/**
 * The behaviour every ItemRepository adapter must share. `makeRepository`
 * returns an empty repository (a fresh one, or a cleaned collection).
 */
export function describeItemRepositoryContract(name: string, makeRepository: () => Promise<ItemRepository>): void {
  describe(`ItemRepository contract: ${name}`, () => {
    let repository: ItemRepository;
    beforeEach(async () => {
      repository = await makeRepository();
    });

    it("starts empty", async () => {
      expect(await repository.isEmpty()).toBe(true);
      expect(await repository.list()).toEqual([]);
    });

    it("stores an item and gives back an equal one", async () => {
      const item = sampleItem();
      await repository.save(item);
      expect(await repository.isEmpty()).toBe(false);
      expect(await repository.list()).toHaveLength(1);
      const [listed] = await repository.list();
      expect(listed).toBeInstanceOf(Item);
      expect(listed?.toProps()).toEqual(item.toProps());
    });

    it("replaces the item with the same id", async () => {
      const item = sampleItem();
      await repository.save(item);
      await repository.save(new Item({ ...item.toProps(), name: "Marinara", available: false }));
      expect(await repository.list()).toHaveLength(1);
      const [found] = await repository.findByIds([item.id]);
      expect(found?.name).toBe("Marinara");
      expect(found?.available).toBe(false);
    });

    it("finds only the known ids, once each", async () => {
      const a = sampleItem({ name: "A" });
      const b = sampleItem({ name: "B" });
      await repository.save(a);
      await repository.save(b);
      const found = await repository.findByIds([b.id, newId(), b.id, a.id]);
      expect(found.map((item) => item.id).sort()).toEqual([a.id, b.id].sort());
      expect(await repository.findByIds([])).toEqual([]);
    });

    it("keeps unavailable items and every field", async () => {
      const item = sampleItem({ available: false, description: "", price: { currencyCode: "GBP", amountMinor: 0 } });
      await repository.save(item);
      const [found] = await repository.findByIds([item.id]);
      expect(found?.toProps()).toEqual(item.toProps());
    });
  });
}
