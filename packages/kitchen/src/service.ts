import { hostname } from "node:os";
import { KitchenService } from "@oms/contracts/kitchen/v1/kitchen";
import { env, readConfig, type Env } from "@oms/platform/config";
import type { Faults } from "@oms/platform/faults";
import type { ServiceDeps, ServiceModule } from "@oms/platform/server";
import { openAggregateRepository } from "@oms/platform/storage";
import { subscribeOrderEvents } from "./adapters/order-event-consumer.js";
import { ticketStorage, type StoredTickets } from "./adapters/ticket-storage.js";
import { createKitchenApp } from "./app/kitchen-app.js";
import type { Clock } from "./app/ports.js";
import { kitchenPolicies, kitchenRoutes } from "./rpc.js";

export { createKitchenApp, type KitchenApp } from "./app/kitchen-app.js";
export { kitchenRoutes } from "./rpc.js";
export { kitchenQueue } from "./adapters/order-event-consumer.js";

/** The kitchen service's settings, from the environment. */
export interface KitchenConfig {
  /** KITCHEN_PORT, 8085 by default (0: any free port). */
  port: number;
  /** KITCHEN_COOKS, 2 by default: simulated cooks working at once. */
  cooks: number;
  /** KITCHEN_COOK_TIME (a duration, "2s" by default; 0 for benchmarks): how long one ticket takes. */
  cookTimeMs: number;
  /** KITCHEN_ID: this instance, stable across restarts (its tickets left cooking by a crash are resumed); `<hostname>:<port>` by default. */
  kitchenId: string;
  /** MONGODB_URL: tickets in MongoDB (they survive restarts); in memory when unset. */
  mongodbUrl?: string;
}

/** Reads the kitchen's configuration; throws ConfigError naming each bad variable. */
export function readKitchenConfig(source: Env = process.env): KitchenConfig {
  const config = readConfig(
    {
      port: env.port("KITCHEN_PORT", 8085),
      cooks: env.integer("KITCHEN_COOKS", 2, 1, 1000),
      cookTimeMs: env.duration("KITCHEN_COOK_TIME", "2s"),
      kitchenId: env.string("KITCHEN_ID"),
      mongodbUrl: env.url("MONGODB_URL", ["mongodb", "mongodb+srv"]),
    },
    source,
  );
  return { ...config, kitchenId: config.kitchenId ?? `${hostname()}:${config.port}` };
}

/** `config.kitchenId` may be left out (then `<hostname>:<port>`). */
export interface KitchenServiceDeps extends ServiceDeps<Omit<KitchenConfig, "kitchenId"> & { kitchenId?: string }> {
  /** Storage; when not given, MongoDB if `config.mongodbUrl` is set, else in memory (the embedded mode). */
  repository?: StoredTickets;
  clock?: Clock;
  /** The process's fault switches: kitchen_delay slows every ticket. */
  faults?: Faults;
}

/**
 * The kitchen service: ListTickets and GetTicket, plus the background work
 * start() runs — the "kitchen" queue consumer, the cooks and the outbox relay.
 */
export async function createKitchenService(deps: KitchenServiceDeps): Promise<ServiceModule> {
  const { config, bus, logger } = deps;
  const storage = await openAggregateRepository(ticketStorage, deps);
  const { repository, relay } = storage;
  const app = createKitchenApp({
    repository,
    publish: () => relay.flush(),
    cooks: config.cooks,
    cookTimeMs: config.cookTimeMs,
    extraCookTimeMs: () => deps.faults?.current.kitchenDelayMs ?? 0,
    kitchenId: config.kitchenId ?? `${hostname()}:${config.port}`,
    clock: deps.clock,
    logger,
  });
  let started = false;

  return {
    definition: {
      name: "kitchen",
      services: [KitchenService],
      routes: kitchenRoutes(app),
      policies: kitchenPolicies,
      ready: () => storage.ready(),
    },
    async start() {
      if (started) return;
      started = true;
      relay.start();
      await app.cooks.start();
      await subscribeOrderEvents(bus, app, logger);
    },
    // The bus belongs to the caller, which closes it (stopping consumers and waiting for handlers in flight).
    async stop() {
      await app.cooks.stop();
      await storage.close();
    },
  };
}
