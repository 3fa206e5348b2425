import type { Meter, Tracer } from "@opentelemetry/api";
import { orderWork, withOrderId } from "@oms/platform/telemetry";
import type { Interceptor } from "@connectrpc/connect";
import { OrderService } from "@oms/contracts/order/v1/order";
import { env as field, readConfig, type Env } from "@oms/platform/config";
import { peerTransport } from "@oms/platform/discovery";
import type { ServiceDeps, ServiceModule } from "@oms/platform/server";
import { openAggregateRepository } from "@oms/platform/storage";
import { MenuCatalogClient } from "./adapters/menu-catalog-client.js";
import { subscribeOrderEvents } from "./adapters/order-event-consumer.js";
import { orderStorage, type StoredOrders } from "./adapters/order-storage.js";
import { observeOrdersByStatus } from "./adapters/orders-by-status-metric.js";
import { StockReservationsClient } from "./adapters/stock-reservations-client.js";
import { WorkInFlight } from "./adapters/work-in-flight.js";
import { createOrderApp } from "./app/order-app.js";
import type { Clock, MenuCatalog, StockReservations } from "./app/ports.js";
import { orderPolicies, orderRoutes } from "./rpc.js";

export interface OrderConfig {
  /** ORDER_PORT, 8083 by default. */
  port: number;
  /** PAYMENT_DEADLINE (a duration, "15m" by default): how long a new order may stay unpaid. */
  paymentDeadlineMs: number;
  /** ORDER_DEADLINE_SWEEP ("1s" by default): how often unpaid orders past their deadline are looked for. */
  deadlineSweepMs?: number;
  /** MONGODB_URL (mongodb:// or mongodb+srv://, the database in its path): orders in MongoDB; in memory when unset. */
  mongodbUrl?: string;
}

/** Reads the order service's configuration; throws ConfigError naming each bad variable. */
export function readOrderConfig(environment: Env = process.env): OrderConfig {
  return readConfig(
    {
      port: field.port("ORDER_PORT", 8083),
      paymentDeadlineMs: field.duration("PAYMENT_DEADLINE", "15m"),
      deadlineSweepMs: field.duration("ORDER_DEADLINE_SWEEP", "5s"),
      mongodbUrl: field.url("MONGODB_URL", ["mongodb", "mongodb+srv"]),
    },
    environment,
  );
}

export interface OrderServiceDeps extends ServiceDeps<OrderConfig> {
  /** Storage; when not given, MongoDB if `config.mongodbUrl` is set, else in memory (the embedded mode). */
  repository?: StoredOrders;
  /** Peers; Connect clients found through the registry when not given. */
  menu?: MenuCatalog;
  stock?: StockReservations;
  clock?: Clock;
  /** Interceptors for the menu and stock clients, e.g. telemetry's clientTracingInterceptor. */
  peerInterceptors?: Interceptor[];
  /** Where the orders-by-status gauge is reported, when metrics are on; the tracer gives timer work on an order its span. */
  telemetry?: { meter: Meter; tracer?: Tracer };
}

/**
 * The order service: its routes, plus the background work start() runs —
 * the "order" event consumers, the outbox relay and the payment-deadline timer.
 */
export async function createOrderService(deps: OrderServiceDeps): Promise<ServiceModule> {
  const { config, bus, logger } = deps;
  const storage = await openAggregateRepository(orderStorage, deps);
  const { repository, relay } = storage;
  if (deps.telemetry) observeOrdersByStatus(deps.telemetry.meter, repository);
  const app = createOrderApp({
    repository,
    menu: deps.menu ?? new MenuCatalogClient(peerTransport(deps.registry, "menu", { interceptors: deps.peerInterceptors })),
    stock: deps.stock ?? new StockReservationsClient(peerTransport(deps.registry, "stock", { interceptors: deps.peerInterceptors })),
    publish: () => relay.flush(),
    paymentDeadlineMs: config.paymentDeadlineMs,
    clock: deps.clock,
    logger,
    scope: deps.telemetry?.tracer ? orderWork(deps.telemetry.tracer, "expire unpaid order") : withOrderId,
  });
  const work = new WorkInFlight();
  const timers: NodeJS.Timeout[] = [];
  /** Runs `pass` every `intervalMs`, one pass at a time (a slow store must not pile passes up), never once stopping. */
  const every = (intervalMs: number, failure: string, pass: () => Promise<void>) => {
    let running = false;
    const timer = setInterval(() => {
      if (running || work.isStopping) return;
      running = true;
      work
        .run(pass)
        .catch((error: unknown) => logger.warn({ err: error }, failure))
        .finally(() => (running = false));
    }, intervalMs);
    timer.unref();
    timers.push(timer);
  };

  return {
    definition: {
      name: "order",
      services: [OrderService],
      routes: orderRoutes(app),
      policies: orderPolicies,
      ready: () => storage.ready(),
    },
    async start() {
      await subscribeOrderEvents(bus, app, work, logger);
      relay.start();
      every(config.deadlineSweepMs ?? 5_000, "payment deadline sweep failed; will retry", async () => {
        const cancelled = await app.expireUnpaidOrders.execute();
        if (cancelled > 0) logger.info({ cancelled }, "cancelled unpaid orders past their payment deadline");
      });
      // Watchers hear this instance's changes at once; another instance's within a second.
      every(1_000, "re-reading watched orders failed; will retry", async () => {
        await app.refreshWatchedOrders.execute();
      });
    },
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await work.stop();
      await storage.close();
    },
  };
}
