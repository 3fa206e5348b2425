import { StockService } from "@oms/contracts/stock/v1/stock";
import { env, readConfig, type Env } from "@oms/platform/config";
import type { Logger } from "@oms/platform/logging";
import type { Telemetry } from "@oms/platform/telemetry";
import type { ServiceDeps, ServiceModule } from "@oms/platform/server";
import { connectMongo, ensureIndexes, type MongoStorage } from "@oms/platform/storage";
import { MemoryReservationRepository } from "./adapters/memory-reservation-repository.js";
import { MemoryStockLevelRepository } from "./adapters/memory-stock-level-repository.js";
import { MongoReservationRepository, reservationIndexes } from "./adapters/mongo-reservation-repository.js";
import { MongoStockLevelRepository, stockLevelIndexes } from "./adapters/mongo-stock-level-repository.js";
import { observeStockLevels } from "./adapters/stock-level-metric.js";
import { FinishReleases } from "./app/finish-releases.js";
import { ExpireUnconfirmedHolds } from "./app/expire-unconfirmed-holds.js";
import { RecoverStaleClaims } from "./app/recover-stale-claims.js";
import { createStockApp } from "./app/stock-app.js";
import type { ReservationRepository } from "./domain/reservation-repository.js";
import type { StockLevelRepository } from "./domain/stock-level-repository.js";
import { consumeOrderEvents } from "./order-events.js";
import { stockPolicies, stockRoutes } from "./rpc.js";

export { createStockApp, type StockApp } from "./app/stock-app.js";
export { stockRoutes } from "./rpc.js";
export { orderEventHandlers, stockQueue } from "./order-events.js";

/** The stock service's settings, from the environment. */
export interface StockConfig {
  /** STOCK_PORT, 8082 by default (0: any free port). */
  port: number;
  /** MONGODB_URL (mongodb:// or mongodb+srv://): levels and reservations are stored there; unset, in memory. */
  mongodbUrl?: string | undefined;
  /** STOCK_CLAIM_TIMEOUT ("60s"): a reservation still being made after this was left by a crash and is undone. */
  claimTimeoutMs?: number;
  /** STOCK_HOLD_TIMEOUT ("10m"): units held this long without their order's order.created go back (ExpireUnconfirmedHolds). */
  holdTimeoutMs?: number;
}

/** Reads STOCK_PORT, MONGODB_URL, STOCK_CLAIM_TIMEOUT and STOCK_HOLD_TIMEOUT; throws ConfigError naming the variable when it is bad. */
export function readStockConfig(source: Env = process.env): StockConfig {
  return readConfig(
    {
      port: env.port("STOCK_PORT", 8082),
      mongodbUrl: env.url("MONGODB_URL", ["mongodb", "mongodb+srv"]),
      claimTimeoutMs: env.duration("STOCK_CLAIM_TIMEOUT", "60s"),
      holdTimeoutMs: env.duration("STOCK_HOLD_TIMEOUT", "10m"),
    },
    source,
  );
}

/** Opening stock of one item, stored at first start (the embedded demo). */
export interface StockSeedLevel {
  itemId: string;
  available: number;
}

export interface StockServiceDeps extends ServiceDeps<StockConfig> {
  /** Stored only when there is no stock level yet, so a restart never resets counts. */
  seed?: readonly StockSeedLevel[] | undefined;
  /** Where the per-item stock gauges are reported, when metrics are on. */
  telemetry?: Pick<Telemetry, "meter">;
}

/**
 * Wires the stock service: MongoDB storage when `config.mongodbUrl` is set
 * (indexes ensured, pinged by ready(), closed by stop()), else memory; use
 * cases, routes, order-event consumers.
 */
export async function createStockService(deps: StockServiceDeps): Promise<ServiceModule> {
  const storage = deps.config.mongodbUrl ? await connectMongo(deps.config.mongodbUrl, { logger: deps.logger }) : undefined;
  try {
    const { levels, reservations } = storage ? await mongoRepositories(storage) : memoryRepositories();
    await seedIfEmpty(levels, deps.seed ?? [], deps.logger);
    const app = createStockApp(levels, reservations);
    if (deps.telemetry) observeStockLevels(deps.telemetry.meter, levels);
    const recover = new RecoverStaleClaims(levels, reservations, deps.config.claimTimeoutMs ?? 60_000);
    const expire = new ExpireUnconfirmedHolds(levels, reservations, deps.config.holdTimeoutMs ?? 600_000);
    const finishReleases = new FinishReleases(levels, reservations);
    let sweeper: NodeJS.Timeout | undefined;
    const sweep = () =>
      void (async () => {
        const recovered = await recover.execute();
        if (recovered > 0) deps.logger.warn({ recovered }, "undid reservations a crash left half made");
        const expired = await expire.execute();
        if (expired > 0) deps.logger.warn({ expired }, "gave back units held for orders that never came");
        const released = await finishReleases.execute();
        if (released > 0) deps.logger.warn({ released }, "finished releases a crash or a storage failure interrupted");
      })().catch((error: unknown) => deps.logger.warn({ err: error }, "stale reservation sweep failed; will retry"));
    let consuming = false;
    const ready = async () => {
      await deps.bus.ping();
      await storage?.ping();
    };
    return {
      definition: { name: "stock", services: [StockService], routes: stockRoutes(app), policies: stockPolicies, ready },
      async start() {
        if (consuming) return;
        consuming = true;
        await consumeOrderEvents(deps.bus, app, deps.logger);
        const shortest = Math.min(deps.config.claimTimeoutMs ?? 60_000, deps.config.holdTimeoutMs ?? 600_000);
        sweeper = setInterval(sweep, Math.max(1_000, shortest / 4));
        sweeper.unref();
      },
      // The bus belongs to the caller, which closes it (stopping consumers and waiting for handlers in flight).
      async stop() {
        clearInterval(sweeper);
        await storage?.close();
      },
    };
  } catch (error) {
    await storage?.close();
    throw error;
  }
}

interface StockRepositories {
  levels: StockLevelRepository;
  reservations: ReservationRepository;
}

function memoryRepositories(): StockRepositories {
  return { levels: new MemoryStockLevelRepository(), reservations: new MemoryReservationRepository() };
}

async function mongoRepositories(storage: MongoStorage): Promise<StockRepositories> {
  await ensureIndexes(storage.db, { ...stockLevelIndexes, ...reservationIndexes });
  return { levels: new MongoStockLevelRepository(storage.db), reservations: new MongoReservationRepository(storage.db) };
}

async function seedIfEmpty(levels: StockLevelRepository, seed: readonly StockSeedLevel[], logger: Logger): Promise<void> {
  if (seed.length === 0 || !(await levels.isEmpty())) return;
  for (const { itemId, available } of seed) {
    if (!Number.isSafeInteger(available) || available < 0) {
      throw new Error(`stock seed for item ${itemId}: available must be a whole number >= 0`);
    }
    await levels.insertLevel(itemId, available);
  }
  logger.info({ items: seed.length }, "seeded the stock");
}
