import { MenuService } from "@oms/contracts/menu/v1/menu";
import { env, readConfig, type Env } from "@oms/platform/config";
import type { ServiceRegistry } from "@oms/platform/discovery";
import type { EventBus } from "@oms/platform/events";
import type { Logger } from "@oms/platform/logging";
import type { ServiceModule } from "@oms/platform/server";
import { MemoryItemRepository } from "./adapters/memory-item-repository.js";
import { createMenuApp } from "./app/menu-app.js";
import { Item } from "./domain/item.js";
import type { ItemRepository } from "./domain/item-repository.js";
import { menuRoutes } from "./rpc.js";

export { createMenuApp, type MenuApp } from "./app/menu-app.js";
export { menuRoutes } from "./rpc.js";

/** The menu service's settings, from the environment. */
export interface MenuConfig {
  /** MENU_PORT, 8081 by default (0: any free port). */
  port: number;
}

/** Reads MENU_PORT; throws ConfigError naming the variable when it is bad. */
export function readMenuConfig(source: Env = process.env): MenuConfig {
  return readConfig({ port: env.port("MENU_PORT", 8081) }, source);
}

/** A dish to put on an empty menu at first start (the embedded demo). */
export interface MenuSeedItem {
  id: string;
  name: string;
  description: string;
  priceMinor: number;
  currencyCode: string;
  available: boolean;
}

export interface MenuServiceDeps {
  config: MenuConfig;
  /** Unused by menu today (it neither publishes nor consumes); taken so every service is wired alike. */
  bus: EventBus;
  registry: ServiceRegistry;
  logger: Logger;
  /** Stored only when the repository is empty, so a restart never overwrites edits. */
  seed?: readonly MenuSeedItem[] | undefined;
}

/** Wires the menu service: memory storage (MongoDB comes later), use cases, routes. */
export async function createMenuService(deps: MenuServiceDeps): Promise<ServiceModule> {
  const items = new MemoryItemRepository();
  await seedIfEmpty(items, deps.seed ?? [], deps.logger);
  const app = createMenuApp(items);
  return {
    definition: { name: "menu", services: [MenuService], routes: menuRoutes(app) },
    async start() {},
    async stop() {},
  };
}

async function seedIfEmpty(items: ItemRepository, seed: readonly MenuSeedItem[], logger: Logger): Promise<void> {
  if (seed.length === 0 || (await items.count()) > 0) return;
  for (const dish of seed) {
    const { priceMinor, currencyCode, ...rest } = dish;
    await items.save(new Item({ ...rest, price: { currencyCode, amountMinor: priceMinor } }));
  }
  logger.info({ items: seed.length }, "seeded the menu");
}
