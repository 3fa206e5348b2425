import { MenuService } from "@oms/contracts/menu/v1/menu";
import { env, readConfig, type Env } from "@oms/platform/config";
import type { Logger } from "@oms/platform/logging";
import type { ServiceDeps, ServiceModule } from "@oms/platform/server";
import { connectMongo, ensureIndexes, type MongoStorage } from "@oms/platform/storage";
import { MemoryItemRepository } from "./adapters/memory-item-repository.js";
import { itemIndexes, MongoItemRepository } from "./adapters/mongo-item-repository.js";
import { createMenuApp } from "./app/menu-app.js";
import { Item } from "./domain/item.js";
import type { ItemRepository } from "./domain/item-repository.js";
import { menuPolicies, menuRoutes } from "./rpc.js";

export { createMenuApp, type MenuApp } from "./app/menu-app.js";
export { menuRoutes } from "./rpc.js";

/** The menu service's settings, from the environment. */
export interface MenuConfig {
  /** MENU_PORT, 8081 by default (0: any free port). */
  port: number;
  /** MONGODB_URL (mongodb:// or mongodb+srv://): items are stored there; unset, in memory. */
  mongodbUrl?: string | undefined;
}

/** Reads MENU_PORT and MONGODB_URL; throws ConfigError naming the variable when it is bad. */
export function readMenuConfig(source: Env = process.env): MenuConfig {
  return readConfig({ port: env.port("MENU_PORT", 8081), mongodbUrl: env.url("MONGODB_URL", ["mongodb", "mongodb+srv"]) }, source);
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

export interface MenuServiceDeps extends ServiceDeps<MenuConfig> {
  /** Stored only when the repository is empty, so a restart never overwrites edits. */
  seed?: readonly MenuSeedItem[] | undefined;
}

/**
 * Wires the menu service: MongoDB storage when `config.mongodbUrl` is set
 * (indexes ensured, pinged by ready(), closed by stop()), else memory; use cases, routes.
 */
export async function createMenuService(deps: MenuServiceDeps): Promise<ServiceModule> {
  const storage = deps.config.mongodbUrl ? await connectMongo(deps.config.mongodbUrl, { logger: deps.logger }) : undefined;
  try {
    const items = storage ? await mongoItems(storage) : new MemoryItemRepository();
    await seedIfEmpty(items, deps.seed ?? [], deps.logger);
    const app = createMenuApp(items);
    return {
      definition: { name: "menu", services: [MenuService], routes: menuRoutes(app), policies: menuPolicies, ...(storage && { ready: () => storage.ping() }) },
      async start() {},
      async stop() {
        await storage?.close();
      },
    };
  } catch (error) {
    await storage?.close();
    throw error;
  }
}

async function mongoItems(storage: MongoStorage): Promise<ItemRepository> {
  await ensureIndexes(storage.db, itemIndexes);
  return new MongoItemRepository(storage.db);
}

async function seedIfEmpty(items: ItemRepository, seed: readonly MenuSeedItem[], logger: Logger): Promise<void> {
  if (seed.length === 0 || !(await items.isEmpty())) return;
  for (const dish of seed) {
    const { priceMinor, currencyCode, ...rest } = dish;
    await items.save(new Item({ ...rest, price: { currencyCode, amountMinor: priceMinor } }));
  }
  logger.info({ items: seed.length }, "seeded the menu");
}
