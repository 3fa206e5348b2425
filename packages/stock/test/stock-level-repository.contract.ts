import { beforeEach, describe, expect, it } from "vitest";
import type { StockLevelRepository } from "../src/domain/stock-level-repository.js";

/**
 * The behaviour every StockLevelRepository adapter must share, concurrency
 * included. `makeRepository` returns an empty repository.
 */
export function describeStockLevelRepositoryContract(name: string, makeRepository: () => Promise<StockLevelRepository>): void {
  describe(`StockLevelRepository contract: ${name}`, () => {
    let levels: StockLevelRepository;
    beforeEach(async () => {
      levels = await makeRepository();
    });

    it("starts empty", async () => {
      expect(await levels.isEmpty()).toBe(true);
      expect(await levels.list()).toEqual([]);
    });

    it("creates a level on a positive adjustment and refuses going below zero", async () => {
      expect(await levels.adjustAvailable("a", -1)).toBeUndefined();
      expect(await levels.adjustAvailable("a", 5)).toEqual({ itemId: "a", available: 5, reserved: 0 });
      expect(await levels.adjustAvailable("a", -6)).toBeUndefined();
      expect(await levels.adjustAvailable("a", -5)).toEqual({ itemId: "a", available: 0, reserved: 0 });
      expect(await levels.list()).toEqual([{ itemId: "a", available: 0, reserved: 0 }]);
    });

    it("inserts a level only once", async () => {
      expect(await levels.insertLevel("a", 3)).toBe(true);
      expect(await levels.insertLevel("a", 9)).toBe(false);
      expect(await levels.insertLevel("z", 0)).toBe(true);
      expect(await levels.list()).toEqual([
        { itemId: "a", available: 3, reserved: 0 },
        { itemId: "z", available: 0, reserved: 0 },
      ]);
      expect(await levels.isEmpty()).toBe(false);
    });

    it("reserves only when enough units are available, reporting what was there", async () => {
      await levels.insertLevel("a", 3);
      expect(await levels.reserveUnits("a", 2, "o1")).toEqual({ reserved: true });
      expect(await levels.reserveUnits("a", 2, "o2")).toEqual({ reserved: false, available: 1 });
      expect(await levels.reserveUnits("unknown", 1, "o1")).toEqual({ reserved: false, available: 0 });
      expect(await levels.find(["a", "unknown"])).toEqual([{ itemId: "a", available: 1, reserved: 2 }]);
    });

    it("takes an order's units once: a repeat (a retry after a crash) finds its hold and takes nothing", async () => {
      await levels.insertLevel("a", 10);
      expect(await levels.reserveUnits("a", 4, "o1")).toEqual({ reserved: true });
      expect(await levels.reserveUnits("a", 4, "o1")).toEqual({ reserved: true });
      expect(await levels.find(["a"])).toEqual([{ itemId: "a", available: 6, reserved: 4 }]);
    });

    it("releases and commits what each order holds, once, whatever the repeats", async () => {
      await levels.insertLevel("a", 10);
      await levels.reserveUnits("a", 4, "o1");
      await levels.reserveUnits("a", 3, "o.2$");
      await levels.releaseUnits("a", "o1");
      await levels.releaseUnits("a", "o1");
      expect(await levels.find(["a"])).toEqual([{ itemId: "a", available: 7, reserved: 3 }]);
      await levels.commitUnits("a", "o.2$");
      await levels.commitUnits("a", "o.2$");
      expect(await levels.find(["a"])).toEqual([{ itemId: "a", available: 7, reserved: 0 }]);
    });

    it("moves nothing for an order that holds nothing", async () => {
      await levels.insertLevel("a", 10);
      await levels.reserveUnits("a", 2, "o1");
      await levels.releaseUnits("a", "other");
      await levels.commitUnits("a", "other");
      await levels.commitUnits("unknown", "o1");
      expect(await levels.find(["a"])).toEqual([{ itemId: "a", available: 8, reserved: 2 }]);
    });

    it("never oversells under 50 concurrent reservations of 10 units", async () => {
      await levels.insertLevel("last", 10);
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => levels.reserveUnits("last", 1, `order-${index}`)));
      expect(results.filter((result) => result.reserved)).toHaveLength(10);
      expect(await levels.find(["last"])).toEqual([{ itemId: "last", available: 0, reserved: 10 }]);
    });

    it("applies concurrent adjustments without losing any", async () => {
      await levels.insertLevel("a", 0);
      await Promise.all(Array.from({ length: 20 }, () => levels.adjustAvailable("a", 5)));
      const removals = await Promise.all(Array.from({ length: 30 }, () => levels.adjustAvailable("a", -5)));
      expect(removals.filter((level) => level !== undefined)).toHaveLength(20);
      expect(await levels.find(["a"])).toEqual([{ itemId: "a", available: 0, reserved: 0 }]);
    });
  });
}
