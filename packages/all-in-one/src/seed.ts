import type { Client } from "@connectrpc/connect";
import type { MenuService } from "@oms/contracts/menu/v1/menu";
import type { StockService } from "@oms/contracts/stock/v1/stock";
import { demoCurrency, demoDishes } from "./demo-menu.js";

/** What one seeding run added: zero and zero when everything was there already. */
export interface SeedOutcome {
  itemsAdded: number;
  levelsAdded: number;
}

/**
 * Puts the demo menu and opening stock in through the services' own RPCs, so
 * it works the same on every storage and with replicas. Only what is missing
 * is added: a demo dish already on the menu keeps the price staff gave it,
 * and an item with a stock level keeps its count, so running it again (or
 * after orders took units) changes nothing.
 */
export async function seedDemoData(menu: Client<typeof MenuService>, stock: Client<typeof StockService>): Promise<SeedOutcome> {
  const onMenu = new Set((await menu.listItems({ includeUnavailable: true })).items.map((item) => item.id));
  const stocked = new Set((await stock.getStock({})).levels.map((level) => level.itemId));
  let itemsAdded = 0;
  let levelsAdded = 0;
  for (const dish of demoDishes) {
    if (!onMenu.has(dish.id)) {
      const price = { currencyCode: demoCurrency, amountMinor: BigInt(dish.priceMinor) };
      await menu.upsertItem({ item: { id: dish.id, name: dish.name, description: dish.description, price, available: true } });
      itemsAdded++;
    }
    if (!stocked.has(dish.id)) {
      await stock.adjustStock({ itemId: dish.id, delta: dish.stock });
      levelsAdded++;
    }
  }
  return { itemsAdded, levelsAdded };
}
