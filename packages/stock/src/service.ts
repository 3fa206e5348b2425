import { StockService } from "@oms/contracts/stock/v1/stock";
import { env, readConfig, type Env } from "@oms/platform/config";
import type { ServiceRegistry } from "@oms/platform/discovery";
import type { EventBus } from "@oms/platform/events";
import type { Logger } from "@oms/platform/logging";
import type { ServiceModule } from "@oms/platform/server";
import { MemoryReservationRepository } from "./adapters/memory-reservation-repository.js";
import { MemoryStockLevelRepository } from "./adapters/memory-stock-level-repository.js";
import { createStockApp } from "./app/stock-app.js";
import type { StockLevelRepository } from "./domain/stock-level-repository.js";
import { consumeOrderEvents } from "./order-events.js";
import { stockRoutes } from "./rpc.js";

export { createStockApp, type StockApp } from "./app/stock-app.js";
export { stockRoutes } from "./rpc.js";
export { orderEventHandlers, stockQueue } from "./order-events.js";

/** The stock service's settings, from the environment. */
export interface StockConfig {
  /** STOCK_PORT, 8082 by default (0: any free port). */
  port: number;
}

/** Reads STOCK_PORT; throws ConfigError naming the variable when it is bad. */
export function readStockConfig(source: Env = process.env): StockConfig {
  return readConfig({ port: env.port("STOCK_PORT", 8082) }, source);
}

/** Opening stock of one item, stored at first start (the embedded demo). */
export interface StockSeedLevel {
  itemId: string;
  available: number;
}

export interface StockServiceDeps {
  config: StockConfig;
  bus: EventBus;
  registry: ServiceRegistry;
  logger: Logger;
  /** Stored only when there is no stock level yet, so a restart never resets counts. */
  seed?: readonly StockSeedLevel[] | undefined;
}

/** Wires the stock service: memory storage (MongoDB comes later), use cases, routes, order-event consumers. */
export async function createStockService(deps: StockServiceDeps): Promise<ServiceModule> {
  const levels = new MemoryStockLevelRepository();
  const reservations = new MemoryReservationRepository();
  await seedIfEmpty(levels, deps.seed ?? [], deps.logger);
  const app = createStockApp(levels, reservations);
  let consuming = false;
  return {
    definition: { name: "stock", services: [StockService], routes: stockRoutes(app), ready: () => deps.bus.ping() },
    async start() {
      if (consuming) return;
      consuming = true;
      await consumeOrderEvents(deps.bus, app, deps.logger);
    },
    // The bus belongs to the caller, which closes it (stopping consumers and waiting for handlers in flight).
    async stop() {},
  };
}

async function seedIfEmpty(levels: StockLevelRepository, seed: readonly StockSeedLevel[], logger: Logger): Promise<void> {
  if (seed.length === 0 || (await levels.count()) > 0) return;
  for (const { itemId, available } of seed) {
    if (!Number.isSafeInteger(available) || available < 0) {
      throw new Error(`stock seed for item ${itemId}: available must be a whole number >= 0`);
    }
    await levels.insertLevel(itemId, available);
  }
  logger.info({ items: seed.length }, "seeded the stock");
}
